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
