/// The second stage of the pipeline: splits normalized text into words (`pre_tokenizer` in tokenizer.json).
///
/// Each word is then tokenized by the model on its own.
protocol PreTokenizer: Sendable {
    /// Splits each of `text.words` further.
    func preTokenize(_ text: inout PreTokenizedText)
}
