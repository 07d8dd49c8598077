/// What a repository model is served for, as its `config.yaml` names it.
public enum RepositoryTask: String, Sendable, CaseIterable {
    /// Tensors in, tensors out, through KServe v2 only.
    case raw
    /// Sentence embeddings (the version directory is a sentence-transformers model directory).
    case embeddings
    /// A cross-encoder.
    case rerank
    /// A sequence classifier.
    case classify
}
