import Scheduler

/// Where one request's time went, filled in by the pipelines as it runs: what the server turns into
/// timing headers, the request's log line, metrics and trace spans.
public struct RequestTimings: Sendable, Equatable {
    /// The model that served the request, once one was chosen.
    public var modelID: String?
    /// Inputs computed.
    public var inputs = 0
    /// Tokens computed (after truncation, before padding).
    public var tokens = 0
    /// When tokenization of the first input began.
    public var tokenizationStart: ContinuousClock.Instant?
    /// Time spent tokenizing, all inputs together.
    public var tokenization: Duration = .zero
    /// Queue wait and inference, once the scheduler answered.
    public var scheduling: SchedulerTimings?

    public init() {}

    /// Time waiting for an engine.
    public var queue: Duration { scheduling?.queueWait ?? .zero }

    /// Time computing.
    public var inference: Duration { scheduling?.inference ?? .zero }
}
