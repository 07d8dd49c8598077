import Scheduler

/// The embeddings of one request, in input order.
public struct EmbeddingResult: Sendable {
    /// One vector per input.
    public var embeddings: [[Float]]
    /// Tokens fed to the model for all inputs, after truncation, special tokens included.
    public var promptTokens: Int
    /// Where the request's time went.
    public var timings: RequestTimings

    public init(embeddings: [[Float]], promptTokens: Int, timings: RequestTimings) {
        self.embeddings = embeddings
        self.promptTokens = promptTokens
        self.timings = timings
    }
}

/// Every token's vector of each input (`/embed_all`), special tokens included, padding left out.
public struct TokenEmbeddingResult: Sendable {
    /// Per input, per token, `hidden` floats.
    public var tokens: [[[Float]]]
    public var promptTokens: Int
    public var timings: RequestTimings
}

/// A reranker's answer: one score per text, in input order.
public struct RerankResult: Sendable {
    public var scores: [Float]
    /// Tokens fed to the model for all pairs.
    public var tokens: Int
    public var timings: RequestTimings
}

/// A classifier's answer: one score per label (label order) for each input, in input order.
public struct ClassificationResult: Sendable {
    public var scores: [[Float]]
    public var timings: RequestTimings
}

/// A raw model's answer: the requested output tensors, in the order asked for.
public struct RawInferenceResult: Sendable {
    public var outputs: [HostTensor]
    public var timings: RequestTimings
}

/// Where one request's time went: what the pipelines return with their results and the server turns
/// into timing headers, the request's log line, metrics and trace spans.
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

    public init(modelID: String? = nil) {
        self.modelID = modelID
    }

    /// Time waiting for an engine.
    public var queue: Duration { scheduling?.queueWait ?? .zero }

    /// Time computing.
    public var inference: Duration { scheduling?.inference ?? .zero }

    /// Adds one stretch of tokenization.
    public mutating func addTokenization(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) {
        if tokenizationStart == nil { tokenizationStart = start }
        tokenization += end - start
    }

    /// Adds one answered scheduler submission; the spans of several are merged.
    public mutating func addScheduling(_ timings: SchedulerTimings, inputs: Int, tokens: Int) {
        self.inputs += inputs
        self.tokens += tokens
        if let earlier = scheduling {
            scheduling = SchedulerTimings(
                enqueued: min(earlier.enqueued, timings.enqueued),
                started: min(earlier.started, timings.started),
                finished: max(earlier.finished, timings.finished))
        } else {
            scheduling = timings
        }
    }

    /// Folds another part of the same request into these (a route that runs a pipeline twice).
    public mutating func merge(_ other: RequestTimings) {
        if modelID == nil { modelID = other.modelID }
        if let start = other.tokenizationStart {
            tokenizationStart = tokenizationStart.map { min($0, start) } ?? start
        }
        tokenization += other.tokenization
        if let scheduling = other.scheduling {
            addScheduling(scheduling, inputs: other.inputs, tokens: other.tokens)
        } else {
            inputs += other.inputs
            tokens += other.tokens
        }
    }
}
