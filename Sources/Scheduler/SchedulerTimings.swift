/// When one request's inputs were queued, first reached an engine, and were all computed: what a
/// caller needs to report its queue wait and inference time (TEI's `x-queue-time`, `x-inference-time`).
public struct SchedulerTimings: Sendable, Equatable {
    /// When the request was admitted to the queue.
    public var enqueued: ContinuousClock.Instant
    /// When the first batch holding one of its inputs started computing.
    public var started: ContinuousClock.Instant
    /// When the last batch holding one of its inputs finished.
    public var finished: ContinuousClock.Instant

    public init(
        enqueued: ContinuousClock.Instant,
        started: ContinuousClock.Instant,
        finished: ContinuousClock.Instant
    ) {
        self.enqueued = enqueued
        self.started = started
        self.finished = finished
    }

    /// Time spent waiting for an engine.
    public var queueWait: Duration { started - enqueued }

    /// Time from the first batch's start to the last batch's end (a request split over several batches
    /// counts the gaps between them too: it was being computed, just not alone).
    public var inference: Duration { finished - started }
}

extension Duration {
    /// Whole nanoseconds, clamped to `Int64` (durations here are seconds, never centuries), for metrics
    /// and timing headers.
    public var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        if seconds >= Int64.max / 1_000_000_000 { return .max }
        if seconds <= Int64.min / 1_000_000_000 { return .min }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

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
