/// The added tokens of a tokenizer and the matchers that find them in raw and in normalized text.
struct AddedVocabulary: Sendable {
    /// A stretch of text: either ordinary text for the pipeline or one matched added token.
    enum Segment {
        case text(Range<Int>)
        case token(id: Int32, range: Range<Int>)
    }

    /// All added tokens, in file order.
    let tokens: [AddedToken]
    /// Finds the tokens with `normalized: false`, in the raw input.
    let rawMatcher: AddedTokenMatcher?
    /// Finds the tokens with `normalized: true`, in normalized text.
    let normalizedMatcher: AddedTokenMatcher?
    /// Keyed by bytes (``ExactString``), as the vocabulary is.
    private let idsByContent: [ExactString: Int32]
    private let contentsById: [Int32: String]
    private let specialContents: Set<ExactString>

    /// Creates the vocabulary; `normalized` tokens are matched by their content passed through `normalizer`.
    init(_ tokens: [AddedToken], normalizer: (any Normalizer)?) {
        self.tokens = tokens
        var raw: [(pattern: String, value: Int32)] = []
        var normalized: [(pattern: String, value: Int32)] = []
        for (index, token) in tokens.enumerated() {
            if token.normalized, let normalizer {
                let scalars = token.content.unicodeScalars.map(\.value)
                let text = normalizer.normalized(scalars, range: 0..<scalars.count)
                let pattern = String(String.UnicodeScalarView(text.scalars.compactMap(Unicode.Scalar.init)))
                normalized.append((pattern, Int32(index)))
            } else if token.normalized {
                normalized.append((token.content, Int32(index)))
            } else {
                raw.append((token.content, Int32(index)))
            }
        }
        rawMatcher = AddedTokenMatcher(raw)
        normalizedMatcher = AddedTokenMatcher(normalized)
        idsByContent = Dictionary(
            tokens.map { (ExactString($0.content), $0.id) }, uniquingKeysWith: { first, _ in first })
        specialContents = Set(tokens.filter(\.special).map { ExactString($0.content) })
        contentsById = Dictionary(tokens.map { ($0.id, $0.content) }, uniquingKeysWith: { first, _ in first })
    }

    /// The id of the added token with this content.
    func id(forToken token: String) -> Int32? { idsByContent[ExactString(token)] }

    /// The content of the added token with this id.
    func token(forId id: Int32) -> String? { contentsById[id] }

    /// Whether `token` is the content of a special added token.
    func isSpecial(_ token: String) -> Bool { specialContents.contains(ExactString(token)) }

    /// The largest added token id, or -1 when there are none.
    var maxId: Int32 { tokens.map(\.id).max() ?? -1 }
}
