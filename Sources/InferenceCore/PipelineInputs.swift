import Tokenizers

/// One input of an embedding request: text to tokenize, or token ids to use exactly as given.
public enum EmbeddingInput: Sendable, Hashable {
    case text(String)
    case tokens([Int])
}

/// An input ready for the model: token ids and type ids of equal length.
public struct TokenizedInput: Sendable {
    public var ids: [Int32]
    public var typeIds: [Int32]
    /// Return every token's vector (flattened, `count x hidden`) instead of the pooled one (`/embed_all`).
    public var returnsTokens = false

    public var count: Int { ids.count }
}

/// How one request wants over-long inputs handled.
public struct TruncationOptions: Sendable, Hashable {
    /// Cut inputs over the maximum length (true), refuse them (false), or do what the server is
    /// configured to do (nil).
    public var truncate: Bool?
    /// Which end to cut.
    public var direction: Truncation.Direction

    public init(truncate: Bool? = nil, direction: Truncation.Direction = .right) {
        self.truncate = truncate
        self.direction = direction
    }
}
