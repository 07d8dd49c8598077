/// Running totals the scheduler keeps for metrics. Monotonic except where noted.
public struct SchedulerCounters: Sendable, Hashable {
    /// Requests admitted.
    public var acceptedRequests = 0
    /// Requests refused because a limit was reached.
    public var rejectedOverloaded = 0
    /// Requests whose deadline passed while inputs were still queued: answered 504, never run.
    public var expiredQueued = 0
    /// Requests whose deadline passed while their inputs were computing: results dropped.
    public var expiredRunning = 0
    /// Requests whose client went away before they were answered.
    public var cancelledRequests = 0
    /// Inputs removed from the queue, before reaching an engine, because their client went away or their
    /// deadline passed.
    public var droppedQueuedInputs = 0
    /// Batches started.
    public var batches = 0
    /// Inputs in all batches started.
    public var batchInputs = 0
    /// Tokens computed, padding included (inputs x longest input, per batch).
    public var batchPaddedTokens = 0
    /// Tokens computed, padding excluded.
    public var batchRealTokens = 0

    public init() {}
}
