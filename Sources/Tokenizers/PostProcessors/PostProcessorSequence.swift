/// `Sequence` post-processor: ByteLevel offset trimming on each sequence, then the last processor joins them.
///
/// `tokenizers` runs each processor over the list of sequences and joins them at the end; the files that use a
/// Sequence (Llama 3 style) put ByteLevel first and a template last, which is the shape accepted at load.
struct PostProcessorSequence: PostProcessor {
    /// The trimming of each leading ByteLevel processor that trims.
    let trimmings: [OffsetTrimming]
    /// The processor that adds special tokens and joins the sequences.
    let last: any PostProcessor

    func addedTokenCount(isPair: Bool) -> Int { last.addedTokenCount(isPair: isPair) }

    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding {
        var first = first
        var second = second
        for trimming in trimmings {
            first = trimming.trim(first)
            second = second.map { trimming.trim($0) }
        }
        return last.process(first, second, addSpecialTokens: addSpecialTokens)
    }
}
