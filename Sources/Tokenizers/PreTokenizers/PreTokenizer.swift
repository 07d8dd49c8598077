/// The second stage of the pipeline: splits normalized text into words (`pre_tokenizer` in tokenizer.json).
///
/// Each word is then tokenized by the model on its own.
protocol PreTokenizer: Sendable {
    /// Splits each of `text.words` further.
    func preTokenize(_ text: inout PreTokenizedText)
}

/// Normalized text and the words it has been split into so far.
struct PreTokenizedText: Sendable {
    /// The text; a pre-tokenizer that rewrites characters replaces it and remaps `words`.
    var text: NormalizedText
    /// Word ranges in `text.scalars`, in order, non-overlapping.
    var words: [Range<Int>]
}

/// `Sequence` pre-tokenizer: applies its pre-tokenizers in order, each splitting the previous one's words.
struct PreTokenizerSequence: PreTokenizer {
    let preTokenizers: [any PreTokenizer]

    func preTokenize(_ text: inout PreTokenizedText) {
        for preTokenizer in preTokenizers {
            preTokenizer.preTokenize(&text)
        }
    }
}
