import Tokenizers

extension TextPipeline {
    /// The model's tokenizer.
    public var tokenizer: Tokenizer { model.tokenizer }

    /// Tokenizes each text without truncation, for `/tokenize`: ids with the text each covers.
    /// - Parameters:
    ///   - texts: the inputs; empty texts give empty token lists (plus special tokens).
    ///   - addSpecialTokens: whether the post-processor adds `[CLS]`/`[SEP]` and the like.
    public func tokenize(_ texts: [String], addSpecialTokens: Bool) -> [[TokenView]] {
        texts.map { tokenizer.tokenViews(of: $0, addSpecialTokens: addSpecialTokens) }
    }

    /// Turns token ids back into text, for `/decode`.
    /// - Throws: `.validation` naming the first id outside the vocabulary, or `.backend` when the
    ///   tokenizer's decoder is not supported.
    public func decode(_ sequences: [[Int]], skipSpecialTokens: Bool) throws(InferenceError) -> [String] {
        let vocabularySize = tokenizer.vocabularySize
        var texts: [String] = []
        texts.reserveCapacity(sequences.count)
        for (index, ids) in sequences.enumerated() {
            if let bad = ids.first(where: { $0 < 0 || $0 >= vocabularySize }) {
                throw .invalidTokenID(bad, at: index, vocabularySize: vocabularySize, field: "ids")
            }
            do {
                texts.append(try tokenizer.decode(ids.map { Int32($0) }, skipSpecialTokens: skipSpecialTokens))
            } catch {
                throw InferenceError(.backend, code: "decoder_unsupported", message: error.message)
            }
        }
        return texts
    }
}

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

extension Tokenizer {
    /// Tokenizes `text` without truncation and pairs each token with the text it covers (offsets are
    /// Unicode scalar positions in `text`), as `/tokenize` and `tern tokenize` show them.
    public func tokenViews(of text: String, addSpecialTokens: Bool = true) -> [TokenView] {
        let encoding = encode(text, addSpecialTokens: addSpecialTokens)
        let scalars = Array(text.unicodeScalars)
        var views: [TokenView] = []
        views.reserveCapacity(encoding.count)
        for position in 0..<encoding.count {
            let id = encoding.ids[position]
            if encoding.specialTokensMask[position] == 1 {
                views.append(TokenView(id: id, text: token(forId: id) ?? "", special: true, span: nil))
                continue
            }
            let span = position < encoding.offsets.count ? encoding.offsets[position] : 0..<0
            let lower = min(max(span.lowerBound, 0), scalars.count)
            let upper = min(max(span.upperBound, lower), scalars.count)
            var covered = String.UnicodeScalarView()
            covered.append(contentsOf: scalars[lower..<upper])
            views.append(TokenView(id: id, text: String(covered), special: false, span: lower..<upper))
        }
        return views
    }
}
