/// What a model is served for.
public enum ModelTask: Sendable, Hashable, CustomStringConvertible {
    /// Sentence embeddings: pooled token vectors.
    case embeddings
    /// A cross-encoder: one logit per (query, text) pair.
    case rerank
    /// Sequence classification over `labels`; multi-label models score each label independently.
    case classify(multiLabel: Bool)

    /// The name used in configuration and `--task`.
    public var name: String {
        switch self {
        case .embeddings: "embeddings"
        case .rerank: "rerank"
        case .classify: "classify"
        }
    }

    public var description: String { name }
}
