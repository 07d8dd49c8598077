/// Limits that shape the batches the scheduler hands to the engines, and what it admits.
public struct BatchingConfiguration: Sendable, Hashable {
    /// A batch closes before its padded size (inputs x longest input) would pass this many tokens.
    /// A single input larger than the budget still runs, alone.
    public var maxBatchTokens: Int
    /// A batch closes at this many inputs.
    public var maxBatchInputs: Int
    /// Model executions in flight at once over the same loaded model.
    public var engines: Int
    /// How long a free engine waits for a fuller batch; zero takes what is queued at once.
    public var maxBatchWait: Duration
    /// How many queued inputs, from the oldest, a batch may choose from to group similar lengths (at
    /// least one batch's worth). The oldest input always goes into the next batch, so no input is passed
    /// over by inputs outside the window. 1 is strict arrival order.
    public var groupingWindow: Int
    /// Largest share of a batch's padded tokens that may be padding: an input that would push the batch past it
    /// waits for a batch of its own length (the oldest input always goes). 1 turns the limit off. Nil leaves it
    /// to the pipeline: text models take `defaultMaxPaddingShare` (attention pads even in the padding-free graphs
    /// built from checkpoints); raw tensors and images (rows are stacked, not padded) have no limit.
    public var maxPaddingShare: Double?
    /// Requests queued or running at once; more are refused as overloaded.
    public var maxConcurrentRequests: Int
    /// Inputs waiting for an engine at once; a request that would pass this is refused as overloaded.
    public var maxQueuedInputs: Int

    /// - Parameters:
    ///   - maxBatchTokens: padded-token budget of one batch.
    ///   - maxBatchInputs: input count limit of one batch.
    ///   - engines: concurrent executions.
    ///   - maxBatchWait: how long a free engine waits for more inputs.
    ///   - groupingWindow: queued inputs a batch may choose from; default 4 x `maxBatchInputs`.
    ///   - maxPaddingShare: the share of a batch's padded tokens that may be padding.
    ///   - maxConcurrentRequests: admission limit on requests.
    ///   - maxQueuedInputs: admission limit on queued inputs.
    public init(
        maxBatchTokens: Int = 16_384,
        maxBatchInputs: Int = 64,
        engines: Int = 1,
        maxBatchWait: Duration = .zero,
        groupingWindow: Int? = nil,
        maxPaddingShare: Double? = nil,
        maxConcurrentRequests: Int = 512,
        maxQueuedInputs: Int = 4_096
    ) {
        self.maxBatchTokens = max(1, maxBatchTokens)
        self.maxBatchInputs = max(1, maxBatchInputs)
        self.engines = max(1, engines)
        self.maxBatchWait = max(.zero, maxBatchWait)
        self.groupingWindow = max(1, groupingWindow ?? 4 * self.maxBatchInputs)
        self.maxPaddingShare = maxPaddingShare.map { min(1, max(0, $0)) }
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
        self.maxQueuedInputs = max(1, maxQueuedInputs)
    }

    /// The default padding limit of text models, chosen by measurement (docs/benchmarks.md, "Padding"): on mixed
    /// lengths 0.1 served 1.4-6x what no limit did, and as much as 0.05 or 0.25 within noise.
    public static let defaultMaxPaddingShare = 0.1
}
