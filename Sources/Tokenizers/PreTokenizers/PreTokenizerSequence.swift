/// `Sequence` pre-tokenizer: applies its pre-tokenizers in order, each splitting the previous one's words.
struct PreTokenizerSequence: PreTokenizer {
    let preTokenizers: [any PreTokenizer]

    func preTokenize(_ text: inout PreTokenizedText) {
        for preTokenizer in preTokenizers {
            preTokenizer.preTokenize(&text)
        }
    }
}
