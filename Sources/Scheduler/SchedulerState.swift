/// The mutable side of a `BatchScheduler`: the state machine plus what it does not need to see
/// (each request's inputs, partial results and continuation). Always used under the scheduler's lock;
/// the effects it returns are carried out after the lock is released.
struct SchedulerState<Input: Sendable, Output: Sendable> {
    typealias Instant = ContinuousClock.Instant

    struct PendingRequest {
        let inputs: [Input]
        var results: [Output?]
        var remaining: Int
        let continuation: CheckedContinuation<ScheduledOutputs<Output>, any Error>
        let enqueued: Instant
        /// When the first batch holding one of its inputs started.
        var started: Instant?

        /// Records one output; true when it was the last one missing.
        mutating func record(_ output: Output, at index: Int) -> Bool {
            results[index] = output
            remaining -= 1
            return remaining == 0
        }
    }

    /// A caller to resume, and with what.
    struct Completion {
        let continuation: CheckedContinuation<ScheduledOutputs<Output>, any Error>
        let result: Result<ScheduledOutputs<Output>, any Error>

        func resume() { continuation.resume(with: result) }
    }

    /// Everything to do once the lock is released.
    struct Effects {
        var completions: [Completion] = []
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        var start: [BatchSchedulerStateMachine.Batch] = []
        /// Arm the timer for this time (only set when it is earlier than the one armed).
        var armTimer: Instant?
        /// Counter movement and queue levels to report.
        var metrics: (from: SchedulerCounters, to: SchedulerCounters, levels: SchedulerMetrics.Levels)?
    }

    private(set) var machine: BatchSchedulerStateMachine
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []
    private var pending: [RequestID: PendingRequest] = [:]
    /// Requests whose task was cancelled before they reached the queue.
    private var cancelledEarly: Set<RequestID> = []
    private var nextID: UInt64 = 0
    private var armedTimer: Instant?
    private var reportedCounters = SchedulerCounters()

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
        deadline: Instant?,
        now: Instant,
        continuation: CheckedContinuation<ScheduledOutputs<Output>, any Error>
    ) -> Effects {
        var effects = Effects()
        if cancelledEarly.remove(id) != nil {
            effects.completions.append(Completion(continuation: continuation, result: .failure(CancellationError())))
            return effects
        }
        switch machine.enqueue(request: id, tokenCounts: tokenCounts, deadline: deadline, now: now) {
        case .rejected(let rejection):
            effects.completions.append(
                Completion(continuation: continuation, result: .failure(SchedulerError.rejected(rejection)))
            )
            return reported(effects)
        case .accepted(let actions):
            pending[id] = PendingRequest(
                inputs: inputs,
                results: Array(repeating: nil, count: inputs.count),
                remaining: inputs.count,
                continuation: continuation,
                enqueued: now
            )
            apply(actions, to: &effects)
            return reported(effects)
        }
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
        return reported(effects)
    }

    /// The timer fired.
    mutating func tick(now: Instant) -> Effects {
        armedTimer = nil
        var effects = Effects()
        apply(machine.tick(now: now), to: &effects)
        return reported(effects)
    }

    /// Stops accepting work. Returns false when the caller must wait (its continuation is kept).
    mutating func shutdown(now: Instant, waiter: CheckedContinuation<Void, Never>) -> (drained: Bool, effects: Effects) {
        var effects = Effects()
        apply(machine.shutdown(now: now), to: &effects)
        if machine.isDrained { return (true, reported(effects)) }
        drainWaiters.append(waiter)
        return (false, reported(effects))
    }

    /// The inputs of a batch whose requests are still waiting for them; a request's first batch to start
    /// marks the end of its queue wait.
    mutating func startBatch(
        _ batch: BatchSchedulerStateMachine.Batch,
        now: Instant
    ) -> [(reference: InputReference, input: Input)] {
        batch.inputs.compactMap { reference in
            guard let request = pending[reference.request] else { return nil }
            if request.started == nil { pending[reference.request]?.started = now }
            return (reference, request.inputs[reference.index])
        }
    }

    /// Delivers a batch's outcome and frees its engine.
    mutating func finish(
        batch: BatchSchedulerStateMachine.Batch,
        live: [InputReference],
        outcome: Result<[Output], any Error>,
        now: Instant
    ) -> Effects {
        var effects = Effects()
        switch outcome {
        case .success(let outputs):
            for (reference, output) in zip(live, outputs) {
                guard pending[reference.request]?.record(output, at: reference.index) == true,
                    let request = pending.removeValue(forKey: reference.request)
                else { continue }
                let results = request.results.map { $0! }
                let timings = SchedulerTimings(enqueued: request.enqueued, started: request.started ?? now, finished: now)
                effects.completions.append(
                    Completion(
                        continuation: request.continuation,
                        result: .success(ScheduledOutputs(outputs: results, timings: timings))
                    )
                )
            }
        case .failure(let error):
            for id in Set(live.map(\.request)) {
                guard let request = pending.removeValue(forKey: id) else { continue }
                _ = machine.cancel(request: id)
                effects.completions.append(Completion(continuation: request.continuation, result: .failure(error)))
            }
        }
        apply(machine.batchFinished(engine: batch.engine, now: now), to: &effects)
        return reported(effects)
    }

    /// Adds what changed in the counters since the last report.
    private mutating func reported(_ effects: Effects) -> Effects {
        var effects = effects
        let levels = SchedulerMetrics.Levels(
            queued: machine.queuedInputs,
            running: machine.runningInputs,
            active: machine.activeRequests
        )
        effects.metrics = (reportedCounters, machine.counters, levels)
        reportedCounters = machine.counters
        return effects
    }

    private mutating func apply(_ actions: BatchSchedulerStateMachine.Actions, to effects: inout Effects) {
        for id in actions.expired {
            guard let request = pending.removeValue(forKey: id) else { continue }
            effects.completions.append(Completion(continuation: request.continuation, result: .failure(SchedulerError.timedOut)))
        }
        effects.start += actions.start
        if let wakeUp = actions.wakeUp, armedTimer.map({ wakeUp < $0 }) ?? true {
            armedTimer = wakeUp
            effects.armTimer = wakeUp
        }
        effects.drainWaiters += takeDrainWaitersIfDrained()
    }

    private mutating func takeDrainWaitersIfDrained() -> [CheckedContinuation<Void, Never>] {
        guard machine.isDrained, !drainWaiters.isEmpty else { return [] }
        defer { drainWaiters = [] }
        return drainWaiters
    }
}
