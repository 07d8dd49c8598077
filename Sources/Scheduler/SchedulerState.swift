/// The mutable side of a `BatchScheduler`: the state machine plus what it does not need to see
/// (each request's inputs, partial results and continuation). Always used under the scheduler's lock;
/// the completions it returns are resumed after the lock is released.
struct SchedulerState<Input: Sendable, Output: Sendable> {
    struct PendingRequest {
        let inputs: [Input]
        var results: [Output?]
        var remaining: Int
        let continuation: CheckedContinuation<[Output], any Error>

        /// Records one output; true when it was the last one missing.
        mutating func record(_ output: Output, at index: Int) -> Bool {
            results[index] = output
            remaining -= 1
            return remaining == 0
        }
    }

    enum EnqueueOutcome {
        case enqueued(BatchSchedulerStateMachine.Action)
        case refused(any Error)
    }

    /// A caller to resume, and with what.
    struct Completion {
        let continuation: CheckedContinuation<[Output], any Error>
        let result: Result<[Output], any Error>

        func resume() { continuation.resume(with: result) }
    }

    /// Everything to do once the lock is released.
    struct Effects {
        var completions: [Completion] = []
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        var next: BatchSchedulerStateMachine.Action = .none
    }

    var machine: BatchSchedulerStateMachine
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []
    private var pending: [RequestID: PendingRequest] = [:]
    /// Requests whose task was cancelled before they reached the queue.
    private var cancelledEarly: Set<RequestID> = []
    private var nextID: UInt64 = 0

    init(machine: BatchSchedulerStateMachine) {
        self.machine = machine
    }

    mutating func makeRequestID() -> RequestID {
        nextID += 1
        return RequestID(nextID)
    }

    mutating func enqueue(
        id: RequestID,
        inputs: [Input],
        tokenCounts: [Int],
        continuation: CheckedContinuation<[Output], any Error>
    ) -> EnqueueOutcome {
        if cancelledEarly.remove(id) != nil { return .refused(CancellationError()) }
        guard machine.lifecycle == .serving else { return .refused(SchedulerError.shuttingDown) }
        pending[id] = PendingRequest(
            inputs: inputs,
            results: Array(repeating: nil, count: inputs.count),
            remaining: inputs.count,
            continuation: continuation
        )
        return .enqueued(machine.enqueue(request: id, tokenCounts: tokenCounts))
    }

    /// Removes a cancelled request and its queued inputs.
    mutating func cancel(_ id: RequestID) -> Effects {
        var effects = Effects()
        if let request = pending.removeValue(forKey: id) {
            _ = machine.cancel(request: id)
            effects.completions.append(Completion(continuation: request.continuation, result: .failure(CancellationError())))
        } else {
            cancelledEarly.insert(id)
        }
        effects.drainWaiters = takeDrainWaitersIfDrained()
        return effects
    }

    /// Stops accepting work. Returns false when the caller must wait (its continuation is kept).
    mutating func shutdown(waiter: CheckedContinuation<Void, Never>) -> Bool {
        machine.shutdown()
        if machine.isDrained { return true }
        drainWaiters.append(waiter)
        return false
    }

    /// The inputs of a batch whose requests are still waiting for them.
    func liveInputs(of batch: BatchSchedulerStateMachine.Batch) -> [(reference: InputReference, input: Input)] {
        batch.inputs.compactMap { reference in
            pending[reference.request].map { (reference, $0.inputs[reference.index]) }
        }
    }

    /// Delivers a batch's outcome and frees its engine.
    mutating func finish(
        batch: BatchSchedulerStateMachine.Batch,
        live: [InputReference],
        outcome: Result<[Output], any Error>
    ) -> Effects {
        var effects = Effects()
        switch outcome {
        case .success(let outputs):
            for (reference, output) in zip(live, outputs) {
                guard pending[reference.request]?.record(output, at: reference.index) == true,
                    let request = pending.removeValue(forKey: reference.request)
                else { continue }
                let results = request.results.map { $0! }
                effects.completions.append(Completion(continuation: request.continuation, result: .success(results)))
            }
        case .failure(let error):
            for id in Set(live.map(\.request)) {
                guard let request = pending.removeValue(forKey: id) else { continue }
                _ = machine.cancel(request: id)
                effects.completions.append(Completion(continuation: request.continuation, result: .failure(error)))
            }
        }
        effects.next = machine.batchFinished(engine: batch.engine)
        effects.drainWaiters = takeDrainWaitersIfDrained()
        return effects
    }

    private mutating func takeDrainWaitersIfDrained() -> [CheckedContinuation<Void, Never>] {
        guard machine.isDrained, !drainWaiters.isEmpty else { return [] }
        defer { drainWaiters = [] }
        return drainWaiters
    }
}
