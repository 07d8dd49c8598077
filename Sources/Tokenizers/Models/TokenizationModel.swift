/// The third stage of the pipeline: turns each word into vocabulary ids (`model` in tokenizer.json).
protocol TokenizationModel: Sendable {
    /// The model's vocabulary, without added tokens.
    var vocabulary: Vocabulary { get }

    /// Appends the tokens of one word.
    /// - Parameters:
    ///   - word: The word's range in `text.scalars`; never empty.
    ///   - text: The normalized text; its origins give the tokens' offsets.
    ///   - tokens: Receives ids and original offsets.
    func tokenize(_ word: Range<Int>, of text: NormalizedText, into tokens: inout TokenSequence)
}

/// A string key compared and hashed by its UTF-8 bytes, as Rust's `String` is.
///
/// Swift's `String` equality is canonical equivalence, under which vocabulary entries such as precomposed `각` and
/// the jamo sequence `각` are one key; `tokenizers` gives them separate ids.
struct ExactString: Hashable, Sendable {
    let string: String

    init(_ string: String) {
        self.string = string
    }

    static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    func hash(into hasher: inout Hasher) {
        for byte in string.utf8 { hasher.combine(byte) }
    }
}
