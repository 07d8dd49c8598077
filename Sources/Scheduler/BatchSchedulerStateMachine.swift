import DequeModule

/// The batching policy as a pure state machine: events in, actions out. No threads, timers or I/O:
/// time comes in with each event, so tests drive it synchronously.
///
/// Requests are split into inputs; inputs queue in arrival order. When an engine is free, a batch is
/// formed from the oldest input plus the inputs closest to its length among the first
/// `max(groupingWindow, maxBatchInputs)`, while the input-count limit, the padded-token budget
/// (inputs x longest input, since ONNX inputs are padded to the longest) and the padding limit (padding at
/// most `maxPaddingShare` of the padded tokens) hold. The oldest input always goes, so an input is never
/// passed over by inputs outside that window. A window of 1 is strict arrival order. When several engines are
/// idle, each new batch takes at most an equal share of the queued tokens, so they all compute.
struct BatchSchedulerStateMachine {
    typealias Instant = ContinuousClock.Instant

    struct QueuedInput: Equatable {
        let reference: InputReference
        let tokens: Int
        let enqueuedAt: Instant
    }

    /// A batch assigned to an engine.
    struct Batch: Equatable {
        let engine: Int
        let inputs: [InputReference]
        /// inputs x longest input: what the engine really computes.
        let paddedTokens: Int
    }

    /// What the service must do after an event.
    struct Actions: Equatable {
        /// Batches to run now, one per engine named.
        var start: [Batch] = []
        /// Requests whose deadline passed: answer them with a timeout (their queued inputs are gone).
        var expired: [RequestID] = []
        /// Call `tick(now:)` at this time (a deadline or the end of a batch wait), if nothing comes first.
        var wakeUp: Instant?

        static let none = Actions()
    }

    enum Rejection: Equatable {
        /// `maxConcurrentRequests` requests are already admitted.
        case tooManyRequests(limit: Int)
        /// The request's inputs would pass `maxQueuedInputs`.
        case queueFull(limit: Int)
        /// The server is draining.
        case shuttingDown
    }

    enum EnqueueDecision: Equatable {
        case accepted(Actions)
        case rejected(Rejection)
    }

    /// What a cancellation found.
    struct CancellationResult: Equatable {
        /// Inputs removed from the queue before they reached an engine.
        let removedFromQueue: Int
        /// Inputs of the request already computing; their results will be dropped.
        let stillRunning: Int
    }

    enum Lifecycle: Equatable {
        case serving
        /// No new work is accepted; queued and running work completes.
        case draining
    }

    private struct RequestState {
        let deadline: Instant?
        var queued: Int
        var running: Int
    }

    private let configuration: BatchingConfiguration
    private var queue: Deque<QueuedInput> = []
    private var requests: [RequestID: RequestState] = [:]
    private var idleEngines: [Int]
    private var running: [Int: [InputReference]] = [:]
    /// No deadline is earlier than this (a lower bound; nil when no request has one).
    private var earliestDeadline: Instant?
    private(set) var lifecycle: Lifecycle = .serving
    private(set) var counters = SchedulerCounters()

    init(configuration: BatchingConfiguration) {
        self.configuration = configuration
        self.idleEngines = Array((0..<configuration.engines).reversed())
    }

    /// Inputs waiting for an engine.
    var queuedInputs: Int { queue.count }
    /// Inputs being computed.
    var runningInputs: Int { running.values.reduce(0) { $0 + $1.count } }
    /// Requests admitted and not yet answered.
    var activeRequests: Int { requests.count }
    /// Engines computing a batch now.
    var busyEngines: Int { running.count }
    /// True once draining and nothing is queued or running.
    var isDrained: Bool { lifecycle == .draining && queue.isEmpty && running.isEmpty }

    /// Whether `request` is still waiting for results (not answered, expired or cancelled).
    func isActive(_ request: RequestID) -> Bool { requests[request] != nil }

    // MARK: Events

    /// A request arrives with the token count of each of its inputs.
    mutating func enqueue(request: RequestID, tokenCounts: [Int], deadline: Instant?, now: Instant) -> EnqueueDecision {
        guard lifecycle == .serving else { return .rejected(.shuttingDown) }
        if requests.count >= configuration.maxConcurrentRequests {
            counters.rejectedOverloaded += 1
            return .rejected(.tooManyRequests(limit: configuration.maxConcurrentRequests))
        }
        if queue.count + tokenCounts.count > configuration.maxQueuedInputs {
            counters.rejectedOverloaded += 1
            return .rejected(.queueFull(limit: configuration.maxQueuedInputs))
        }
        counters.acceptedRequests += 1
        requests[request] = RequestState(deadline: deadline, queued: tokenCounts.count, running: 0)
        if let deadline, earliestDeadline.map({ deadline < $0 }) ?? true { earliestDeadline = deadline }
        for (index, tokens) in tokenCounts.enumerated() {
            queue.append(QueuedInput(reference: InputReference(request: request, index: index), tokens: tokens, enqueuedAt: now))
        }
        return .accepted(advance(now: now))
    }

    /// An engine finished its batch and is free again.
    mutating func batchFinished(engine: Int, now: Instant) -> Actions {
        guard let inputs = running.removeValue(forKey: engine) else {
            preconditionFailure("engine \(engine) finished a batch it was not running")
        }
        idleEngines.append(engine)
        for reference in inputs {
            guard var state = requests[reference.request] else { continue }
            state.running -= 1
            requests[reference.request] = state.queued == 0 && state.running == 0 ? nil : state
        }
        return advance(now: now)
    }

    /// Time passed: expire deadlines, end batch waits.
    mutating func tick(now: Instant) -> Actions {
        advance(now: now)
    }

    /// The client of `request` went away: drop its queued inputs and forget it.
    mutating func cancel(request: RequestID) -> CancellationResult {
        guard let state = requests.removeValue(forKey: request) else {
            return CancellationResult(removedFromQueue: 0, stillRunning: 0)
        }
        counters.cancelledRequests += 1
        let removed = removeQueued(of: [request])
        return CancellationResult(removedFromQueue: removed, stillRunning: state.running)
    }

    /// Stop accepting work; everything accepted still runs (batch waits end at once).
    mutating func shutdown(now: Instant) -> Actions {
        lifecycle = .draining
        return advance(now: now)
    }

    // MARK: Policy

    private mutating func advance(now: Instant) -> Actions {
        var actions = Actions()
        actions.expired = expire(now: now)
        while !queue.isEmpty, !idleEngines.isEmpty {
            if let wait = batchWaitEnd(now: now) {
                actions.wakeUp = wait
                break
            }
            let share = fairShare()
            let engine = idleEngines.removeLast()
            let batch = takeBatch(engine: engine, realTokenShare: share)
            running[engine] = batch.inputs
            actions.start.append(batch)
        }
        if let deadline = earliestDeadline, actions.wakeUp.map({ deadline < $0 }) ?? true {
            actions.wakeUp = deadline
        }
        return actions
    }

    /// With several engines idle, the real tokens one of them may take: an equal share of what the idle engines
    /// could take now (the first `idle x maxBatchInputs` queued inputs), so the queue is split across them and
    /// computed in parallel instead of one engine taking it all while the others wait. Nil with one engine idle.
    private func fairShare() -> Int? {
        let idle = idleEngines.count
        guard idle > 1, queue.count > 1 else { return nil }
        let reachable = min(queue.count, idle * configuration.maxBatchInputs)
        var tokens = 0
        for offset in 0..<reachable { tokens += queue[queue.startIndex + offset].tokens }
        return (tokens + idle - 1) / idle
    }

    /// When a batch should wait for more inputs, the time the wait ends.
    private func batchWaitEnd(now: Instant) -> Instant? {
        guard configuration.maxBatchWait > .zero, lifecycle == .serving,
            queue.count < configuration.maxBatchInputs, let oldest = queue.first
        else { return nil }
        let end = oldest.enqueuedAt + configuration.maxBatchWait
        return end > now ? end : nil
    }

    /// Fails every request whose deadline has passed; returns them.
    private mutating func expire(now: Instant) -> [RequestID] {
        guard let earliest = earliestDeadline, earliest <= now else { return [] }
        var expired: [RequestID] = []
        var nextEarliest: Instant?
        for (id, state) in requests {
            guard let deadline = state.deadline else { continue }
            if deadline <= now {
                expired.append(id)
                if state.queued > 0 { counters.expiredQueued += 1 } else { counters.expiredRunning += 1 }
            } else if nextEarliest.map({ deadline < $0 }) ?? true {
                nextEarliest = deadline
            }
        }
        earliestDeadline = nextEarliest
        for id in expired { requests[id] = nil }
        removeQueued(of: Set(expired))
        return expired.sorted { $0.raw < $1.raw }
    }

    @discardableResult
    private mutating func removeQueued(of ids: Set<RequestID>) -> Int {
        guard !ids.isEmpty else { return 0 }
        let before = queue.count
        queue.removeAll { ids.contains($0.reference.request) }
        counters.droppedQueuedInputs += before - queue.count
        return before - queue.count
    }

    private mutating func takeBatch(engine: Int, realTokenShare: Int?) -> Batch {
        let head = queue[queue.startIndex]
        let strictOrder = configuration.groupingWindow <= 1
        let scan = min(queue.count, max(configuration.groupingWindow, configuration.maxBatchInputs))
        var candidates = Array(1..<max(1, scan))
        if !strictOrder {
            // Closest in length to the oldest input first, then oldest first.
            candidates.sort { a, b in
                let da = abs(queue[a].tokens - head.tokens)
                let db = abs(queue[b].tokens - head.tokens)
                return da != db ? da < db : a < b
            }
        }
        var chosen = [0]
        var longest = head.tokens
        var realTokens = head.tokens
        let paddingShare = configuration.maxPaddingShare ?? 1
        let limitsPadding = paddingShare < 1
        for index in candidates {
            guard chosen.count < configuration.maxBatchInputs else { break }
            let tokens = queue[index].tokens
            let newLongest = max(longest, tokens)
            let padded = newLongest * (chosen.count + 1)
            let tooMuchPadding =
                limitsPadding && Double(padded - realTokens - tokens) > paddingShare * Double(padded)
            let pastShare = realTokenShare.map { realTokens + tokens > $0 } ?? false
            if padded > configuration.maxBatchTokens || tooMuchPadding || pastShare {
                if strictOrder { break } else { continue }
            }
            chosen.append(index)
            longest = newLongest
            realTokens += tokens
        }
        chosen.sort()
        let inputs = chosen.map { queue[$0].reference }
        for index in chosen.reversed() { queue.remove(at: index) }
        for reference in inputs {
            requests[reference.request]?.queued -= 1
            requests[reference.request]?.running += 1
        }
        counters.batches += 1
        counters.batchInputs += inputs.count
        counters.batchPaddedTokens += longest * inputs.count
        counters.batchRealTokens += realTokens
        return Batch(engine: engine, inputs: inputs, paddedTokens: longest * inputs.count)
    }
}
