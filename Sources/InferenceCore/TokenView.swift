/// One token of a tokenized text, as `/tokenize` shows it.
public struct TokenView: Sendable, Equatable {
    /// The token's id in the vocabulary.
    public var id: Int32
    /// The text the token covers in the input (for special tokens, the token itself).
    public var text: String
    /// Whether the post-processor added it (`[CLS]`, `</s>`, ...) rather than it coming from the text.
    public var special: Bool
    /// The span of the input it covers, in Unicode scalars; `nil` for special tokens.
    public var span: Range<Int>?

    public init(id: Int32, text: String, special: Bool, span: Range<Int>?) {
        self.id = id
        self.text = text
        self.special = special
        self.span = span
    }
}
