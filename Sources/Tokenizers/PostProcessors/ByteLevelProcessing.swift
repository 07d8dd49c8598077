/// `ByteLevel` post-processor: concatenates like no post-processor at all, trimming offsets when asked to.
struct ByteLevelProcessing: PostProcessor {
    /// The trimming, or nil when `trim_offsets` is false.
    let trimming: OffsetTrimming?

    func addedTokenCount(isPair: Bool) -> Int { 0 }

    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding {
        let first = trimming?.trim(first) ?? first
        let second = second.map { trimming?.trim($0) ?? $0 }
        return SequenceConcatenation().process(first, second, addSpecialTokens: addSpecialTokens)
    }
}
