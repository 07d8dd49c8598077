import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Runs `BatchSchedulerStateMachine` for one pipeline: requests are split into inputs, admitted or
/// refused, batched, and computed on dedicated engine threads; results go back to each caller through a
/// continuation. One timer task at a time wakes the machine for deadlines and batch waits.
///
/// A `Service`: on graceful shutdown it stops accepting work, answers everything accepted, then stops
/// its threads.
public final class BatchScheduler<Executor: BatchExecutor>: Service {
    public typealias Input = Executor.Input
    public typealias Output = Executor.Output

    private let executor: Executor
    private let state: Mutex<SchedulerState<Input, Output>>
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let metrics: SchedulerMetrics
    private let clock = ContinuousClock()
    /// When the executor last released idle memory.
    private let lastIdleRelease = Mutex<ContinuousClock.Instant?>(nil)
    /// The least time between two `releaseIdleMemory` calls, so a server that goes idle between most requests
    /// pays for it at most this often.
    private let idleReleaseInterval: Duration

    /// - Parameters:
    ///   - executor: computes batches.
    ///   - configuration: batch limits, engine count and admission limits.
    ///   - logger: where batch failures are logged.
    ///   - model: the `model` label of the scheduler's metrics.
    ///   - idleReleaseInterval: the least time between two calls of the executor's `releaseIdleMemory`.
    public init(
        executor: Executor, configuration: BatchingConfiguration, logger: Logger, model: String = "default",
        idleReleaseInterval: Duration = .seconds(1)
    ) {
        self.executor = executor
        self.idleReleaseInterval = idleReleaseInterval
        self.metrics = SchedulerMetrics(model: model)
        self.state = Mutex(SchedulerState(machine: BatchSchedulerStateMachine(configuration: configuration)))
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.engines)
        self.logger = logger
        threadPool.start()
    }

    /// Computes every input, in batches shared with other callers; returns outputs in input order.
    ///
    /// Cancelling the calling task removes its queued inputs; results of inputs already computing are
    /// dropped.
    /// - Parameters:
    ///   - inputs: what to compute.
    ///   - deadline: when the caller stops waiting; queued inputs are then dropped, never run.
    /// - Throws: `SchedulerError` (overloaded, timed out, shutting down), `CancellationError`, or the
    ///   executor's error.
    public func submit(_ inputs: [Input], deadline: ContinuousClock.Instant? = nil) async throws -> [Output] {
        try await submitTimed(inputs, deadline: deadline).outputs
    }

    /// `submit`, also telling when the request was queued, started and finished (its queue wait and
    /// inference time).
    /// - Parameters:
    ///   - inputs: what to compute.
    ///   - deadline: when the caller stops waiting; queued inputs are then dropped, never run.
    /// - Throws: as `submit`.
    public func submitTimed(
        _ inputs: [Input],
        deadline: ContinuousClock.Instant? = nil
    ) async throws -> ScheduledOutputs<Output> {
        if inputs.isEmpty {
            let now = clock.now
            return ScheduledOutputs(outputs: [], timings: SchedulerTimings(enqueued: now, started: now, finished: now))
        }
        let tokenCounts = inputs.map(executor.tokenCount(of:))
        let id = state.withLock { $0.makeRequestID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let now = clock.now
                apply(
                    state.withLock {
                        $0.enqueue(
                            id: id,
                            inputs: inputs,
                            tokenCounts: tokenCounts,
                            deadline: deadline,
                            now: now,
                            continuation: continuation
                        )
                    }
                )
            }
        } onCancel: {
            apply(state.withLock { $0.cancel(id) })
        }
    }

    /// Inputs waiting for an engine now.
    public var queuedInputs: Int { state.withLock { $0.machine.queuedInputs } }

    /// Inputs being computed now.
    public var runningInputs: Int { state.withLock { $0.machine.runningInputs } }

    /// Requests admitted and not yet answered.
    public var activeRequests: Int { state.withLock { $0.machine.activeRequests } }

    /// Totals since start.
    public var counters: SchedulerCounters { state.withLock { $0.machine.counters } }

    /// Waits for graceful shutdown, then drains.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    /// Stops accepting work and returns once everything accepted has been answered.
    public func drain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = clock.now
            let (drained, effects) = state.withLock { $0.shutdown(now: now, waiter: continuation) }
            apply(effects)
            if drained { continuation.resume() }
        }
    }

    /// Drains, then stops the engine threads.
    public func shutdown() async throws {
        await drain()
        try await threadPool.shutdownGracefully()
    }

    // MARK: Engines and timer

    /// Carries out what the state decided, outside the lock.
    private func apply(_ effects: SchedulerState<Input, Output>.Effects) {
        if let movement = effects.metrics { metrics.record(from: movement.from, to: movement.to, levels: movement.levels) }
        for completion in effects.completions {
            if case .success(let scheduled) = completion.result { metrics.record(scheduled.timings) }
            completion.resume()
        }
        for waiter in effects.drainWaiters { waiter.resume() }
        for batch in effects.start {
            threadPool.submit { [self] workState in
                run(batch, poolActive: workState == .active)
            }
        }
        if let wakeUp = effects.armTimer {
            Task { [self] in
                try? await Task.sleep(until: wakeUp, clock: clock)
                let now = clock.now
                apply(state.withLock { $0.tick(now: now) })
            }
        }
    }

    /// Runs on an engine thread.
    private func run(_ batch: BatchSchedulerStateMachine.Batch, poolActive: Bool) {
        let started = clock.now
        let live = state.withLock { $0.startBatch(batch, now: started) }
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
            metrics.recordBatch(inputs: live.count, paddedTokens: batch.paddedTokens)
            if case .failure(let error) = outcome {
                logger.error("batch failed", metadata: ["inputs": "\(live.count)", "error": "\(error)"])
            }
        }
        let now = clock.now
        let (effects, idle) = state.withLock { state in
            let effects = state.finish(batch: batch, live: live.map(\.reference), outcome: outcome, now: now)
            return (effects, state.machine.queuedInputs == 0 && state.machine.runningInputs == 0)
        }
        apply(effects)
        if idle, poolActive, claimIdleRelease(at: now) { executor.releaseIdleMemory() }
    }

    /// Whether an idle release may run now (none ran within `idleReleaseInterval`); records it if so.
    private func claimIdleRelease(at now: ContinuousClock.Instant) -> Bool {
        lastIdleRelease.withLock { last in
            if let last, now - last < idleReleaseInterval { return false }
            last = now
            return true
        }
    }
}
