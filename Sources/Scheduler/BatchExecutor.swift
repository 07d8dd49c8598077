/// What a pipeline gives the scheduler: how big an input is, and how to compute a batch of them.
public protocol BatchExecutor: Sendable {
    associatedtype Input: Sendable
    associatedtype Output: Sendable

    /// The length this input takes in a padded batch (for text models, its token count).
    func tokenCount(of input: Input) -> Int

    /// Computes one batch, returning one output per input in order.
    ///
    /// Called on a scheduler engine thread, never on an event loop or the cooperative pool, so it may
    /// block for as long as the model runs.
    /// - Parameters:
    ///   - batch: the inputs, in batch order.
    ///   - engine: which engine runs it (0 ..< engines), for per-engine scratch state.
    func execute(_ batch: [Input], engine: Int) throws -> [Output]

    /// Called on an engine thread when the scheduler has gone idle (nothing queued, no batch running): give back
    /// memory that large batches left behind. At most once per the scheduler's `idleReleaseInterval` (a second by default).
    func releaseIdleMemory()
}

extension BatchExecutor {
    public func releaseIdleMemory() {}
}

/// What `BatchScheduler.submitTimed` returns: the outputs in input order, and when the work was queued
/// and computed.
public struct ScheduledOutputs<Output: Sendable>: Sendable {
    /// One output per input, in input order.
    public var outputs: [Output]
    /// Queue wait and inference time of this request.
    public var timings: SchedulerTimings

    public init(outputs: [Output], timings: SchedulerTimings) {
        self.outputs = outputs
        self.timings = timings
    }
}

/// Identifies one submitted request inside a scheduler.
public struct RequestID: Hashable, Sendable, CustomStringConvertible {
    let raw: UInt64

    init(_ raw: UInt64) { self.raw = raw }

    public var description: String { "r\(raw)" }
}

/// One input of one request: requests are split into inputs, and inputs are what batches hold.
public struct InputReference: Hashable, Sendable {
    public let request: RequestID
    public let index: Int
}
