/// Limits that shape the batches the scheduler hands to the engines.
public struct BatchingConfiguration: Sendable, Hashable {
    /// A batch closes before its padded size (inputs x longest input) would pass this many tokens.
    /// A single input larger than the budget still runs, alone.
    public var maxBatchTokens: Int
    /// A batch closes at this many inputs.
    public var maxBatchInputs: Int
    /// Model executions in flight at once over the same loaded model.
    public var engines: Int

    /// - Parameters:
    ///   - maxBatchTokens: padded-token budget of one batch.
    ///   - maxBatchInputs: input count limit of one batch.
    ///   - engines: concurrent executions.
    public init(maxBatchTokens: Int = 16_384, maxBatchInputs: Int = 64, engines: Int = 1) {
        self.maxBatchTokens = max(1, maxBatchTokens)
        self.maxBatchInputs = max(1, maxBatchInputs)
        self.engines = max(1, engines)
    }
}
