/// `RobertaProcessing`: `<s> A </s>` for one text, `<s> A </s> </s> B </s>` for a pair, every segment id 0,
/// with ByteLevel offset trimming when `trim_offsets` is true.
struct RobertaProcessing: PostProcessor {
    /// The id of the classification token (`<s>`), placed first.
    let classificationId: Int32
    /// The id of the separator token (`</s>`).
    let separatorId: Int32
    /// The trimming, or nil when `trim_offsets` is false.
    let trimming: OffsetTrimming?

    func addedTokenCount(isPair: Bool) -> Int { isPair ? 4 : 2 }

    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding {
        let first = trimming?.trim(first) ?? first
        let second = second.map { trimming?.trim($0) ?? $0 }
        var encoding = Encoding(capacity: first.count + (second?.count ?? 0) + 4)
        if addSpecialTokens { encoding.appendSpecial([classificationId], typeId: 0) }
        encoding.append(first, typeId: 0)
        if addSpecialTokens { encoding.appendSpecial([separatorId], typeId: 0) }
        if let second {
            if addSpecialTokens { encoding.appendSpecial([separatorId], typeId: 0) }
            encoding.append(second, typeId: 0)
            if addSpecialTokens { encoding.appendSpecial([separatorId], typeId: 0) }
        }
        return encoding
    }
}
