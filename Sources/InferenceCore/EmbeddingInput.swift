/// One input of an embedding request: text to tokenize, or token ids to use exactly as given.
public enum EmbeddingInput: Sendable, Hashable {
    case text(String)
    case tokens([Int])
}

/// An input ready for the model: token ids and type ids of equal length.
public struct TokenizedInput: Sendable {
    public var ids: [Int32]
    public var typeIds: [Int32]

    public var count: Int { ids.count }
}
