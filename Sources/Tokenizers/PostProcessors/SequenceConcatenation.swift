/// What `tokenizers` does without a post-processor: concatenate, segment ids 0 then 1, no special tokens.
struct SequenceConcatenation: PostProcessor {
    func addedTokenCount(isPair: Bool) -> Int { 0 }

    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding {
        var encoding = Encoding(capacity: first.count + (second?.count ?? 0))
        encoding.append(first, typeId: 0)
        if let second { encoding.append(second, typeId: 1) }
        return encoding
    }
}
