/// The embeddings of one request, in input order.
public struct EmbeddingResult: Sendable {
    /// One vector per input.
    public var embeddings: [[Float]]
    /// Tokens fed to the model for all inputs, after truncation, special tokens included.
    public var promptTokens: Int
}
