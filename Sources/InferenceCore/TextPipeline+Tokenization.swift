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
