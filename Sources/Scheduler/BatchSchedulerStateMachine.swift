/// The batching policy as a pure state machine: events in, actions out; no clocks, threads or I/O.
///
/// Inputs are queued one by one (a request of 100 inputs may be spread over several batches) and leave
/// the queue in arrival order. A batch takes inputs from the head while both the input-count limit and
/// the padded-token budget (inputs x longest input, since ONNX inputs are padded to the longest) hold.
struct BatchSchedulerStateMachine {
    struct QueuedInput: Equatable {
        let reference: InputReference
        let tokens: Int
    }

    /// A batch assigned to an engine.
    struct Batch: Equatable {
        let engine: Int
        let inputs: [InputReference]
        /// inputs x longest input: what the engine really computes.
        let paddedTokens: Int
    }

    enum Action: Equatable {
        case none
        case startBatches([Batch])
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

    private let configuration: BatchingConfiguration
    private var queue: [QueuedInput] = []
    private var queueHead = 0
    private var idleEngines: [Int]
    private var running: [Int: [InputReference]] = [:]
    private(set) var lifecycle: Lifecycle = .serving

    init(configuration: BatchingConfiguration) {
        self.configuration = configuration
        self.idleEngines = Array((0..<configuration.engines).reversed())
    }

    /// Inputs waiting for an engine.
    var queuedInputs: Int { queue.count - queueHead }
    /// Inputs being computed.
    var runningInputs: Int { running.values.reduce(0) { $0 + $1.count } }
    /// Engines computing a batch now.
    var busyEngines: Int { running.count }
    /// True once draining and nothing is queued or running.
    var isDrained: Bool { lifecycle == .draining && queuedInputs == 0 && running.isEmpty }

    /// A request arrives with the token count of each of its inputs.
    mutating func enqueue(request: RequestID, tokenCounts: [Int]) -> Action {
        precondition(lifecycle == .serving, "enqueue after shutdown: the service must refuse first")
        for (index, tokens) in tokenCounts.enumerated() {
            queue.append(QueuedInput(reference: InputReference(request: request, index: index), tokens: tokens))
        }
        return startIdleEngines()
    }

    /// An engine finished its batch and is free again.
    mutating func batchFinished(engine: Int) -> Action {
        guard running.removeValue(forKey: engine) != nil else {
            preconditionFailure("engine \(engine) finished a batch it was not running")
        }
        idleEngines.append(engine)
        return startIdleEngines()
    }

    /// The client of `request` went away: drop its queued inputs.
    mutating func cancel(request: RequestID) -> CancellationResult {
        let before = queuedInputs
        compactQueue { $0.reference.request != request }
        let stillRunning = running.values.reduce(0) { count, inputs in
            count + inputs.lazy.filter { $0.request == request }.count
        }
        return CancellationResult(removedFromQueue: before - queuedInputs, stillRunning: stillRunning)
    }

    /// Stop accepting work; everything accepted still runs.
    mutating func shutdown() {
        lifecycle = .draining
    }

    // MARK: Batch forming

    private mutating func startIdleEngines() -> Action {
        var batches: [Batch] = []
        while queuedInputs > 0, let engine = idleEngines.popLast() {
            let batch = takeBatch(engine: engine)
            running[engine] = batch.inputs
            batches.append(batch)
        }
        return batches.isEmpty ? .none : .startBatches(batches)
    }

    private mutating func takeBatch(engine: Int) -> Batch {
        var inputs: [InputReference] = []
        var longest = 0
        while queueHead < queue.count, inputs.count < configuration.maxBatchInputs {
            let next = queue[queueHead]
            let newLongest = max(longest, next.tokens)
            if !inputs.isEmpty, newLongest * (inputs.count + 1) > configuration.maxBatchTokens { break }
            inputs.append(next.reference)
            longest = newLongest
            queueHead += 1
        }
        if queueHead > 1024, queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
        return Batch(engine: engine, inputs: inputs, paddedTokens: longest * inputs.count)
    }

    private mutating func compactQueue(keeping isKept: (QueuedInput) -> Bool) {
        queue = queue[queueHead...].filter(isKept)
        queueHead = 0
    }
}
