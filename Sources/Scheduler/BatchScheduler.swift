import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Runs `BatchSchedulerStateMachine` for one pipeline: requests are split into inputs, batched, and
/// computed on dedicated engine threads; results go back to each caller through a continuation.
///
/// A `Service`: on graceful shutdown it stops accepting work, lets everything accepted finish, then
/// stops its threads.
public final class BatchScheduler<Executor: BatchExecutor>: Service {
    public typealias Input = Executor.Input
    public typealias Output = Executor.Output

    private let executor: Executor
    private let state: Mutex<SchedulerState<Input, Output>>
    private let threadPool: NIOThreadPool
    private let logger: Logger

    /// - Parameters:
    ///   - executor: computes batches.
    ///   - configuration: batch limits and engine count.
    ///   - logger: where batch failures are logged.
    public init(executor: Executor, configuration: BatchingConfiguration, logger: Logger) {
        self.executor = executor
        self.state = Mutex(SchedulerState(machine: BatchSchedulerStateMachine(configuration: configuration)))
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.engines)
        self.logger = logger
        threadPool.start()
    }

    /// Computes every input, in batches shared with other callers; returns outputs in input order.
    ///
    /// Cancelling the calling task removes its queued inputs; results of inputs already computing are
    /// dropped.
    /// - Throws: `SchedulerError.shuttingDown` once draining, `CancellationError`, or the executor's error.
    public func submit(_ inputs: [Input]) async throws -> [Output] {
        if inputs.isEmpty { return [] }
        let tokenCounts = inputs.map(executor.tokenCount(of:))
        let id = state.withLock { $0.makeRequestID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let outcome = state.withLock { state in
                    state.enqueue(id: id, inputs: inputs, tokenCounts: tokenCounts, continuation: continuation)
                }
                switch outcome {
                case .enqueued(let action): perform(action)
                case .refused(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            apply(state.withLock { $0.cancel(id) })
        }
    }

    /// Inputs waiting for an engine now.
    public var queuedInputs: Int { state.withLock { $0.machine.queuedInputs } }

    /// Inputs being computed now.
    public var runningInputs: Int { state.withLock { $0.machine.runningInputs } }

    /// Waits for graceful shutdown, then drains.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    /// Drains, then stops the engine threads.
    public func shutdown() async throws {
        await drain()
        try await threadPool.shutdownGracefully()
    }

    /// Stops accepting work and returns once everything accepted has been answered.
    public func drain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if state.withLock({ $0.shutdown(waiter: continuation) }) { continuation.resume() }
        }
    }

    // MARK: Engines

    private func perform(_ action: BatchSchedulerStateMachine.Action) {
        guard case .startBatches(let batches) = action else { return }
        for batch in batches {
            threadPool.submit { [self] workState in
                run(batch, poolActive: workState == .active)
            }
        }
    }

    /// Runs on an engine thread.
    private func run(_ batch: BatchSchedulerStateMachine.Batch, poolActive: Bool) {
        let live = state.withLock { $0.liveInputs(of: batch) }
        var outcome: Result<[Output], any Error> = .success([])
        if !live.isEmpty {
            if poolActive {
                outcome = Result { try executor.execute(live.map(\.input), engine: batch.engine) }
            } else {
                outcome = .failure(SchedulerError.shuttingDown)
            }
            if case .success(let outputs) = outcome, outputs.count != live.count {
                outcome = .failure(SchedulerError.outputCountMismatch(expected: live.count, actual: outputs.count))
            }
            if case .failure(let error) = outcome {
                logger.error("batch failed", metadata: ["inputs": "\(live.count)", "error": "\(error)"])
            }
        }
        apply(state.withLock { $0.finish(batch: batch, live: live.map(\.reference), outcome: outcome) })
    }

    /// Runs what the state decided, outside the lock.
    private func apply(_ effects: SchedulerState<Input, Output>.Effects) {
        for completion in effects.completions { completion.resume() }
        for waiter in effects.drainWaiters { waiter.resume() }
        perform(effects.next)
    }
}
