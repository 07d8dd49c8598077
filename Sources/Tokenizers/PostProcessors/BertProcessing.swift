/// `BertProcessing`: `[CLS] A [SEP]` for one text, `[CLS] A [SEP] B [SEP]` for a pair (B and its `[SEP]`
/// in segment 1).
struct BertProcessing: PostProcessor {
    /// The classification token's id, placed first.
    let classificationId: Int32
    /// The separator token's id, placed after each sequence.
    let separatorId: Int32

    func addedTokenCount(isPair: Bool) -> Int { isPair ? 3 : 2 }

    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding {
        var encoding = Encoding(capacity: first.count + (second?.count ?? 0) + 3)
        if addSpecialTokens { encoding.appendSpecial([classificationId], typeId: 0) }
        encoding.append(first, typeId: 0)
        if addSpecialTokens { encoding.appendSpecial([separatorId], typeId: 0) }
        if let second {
            encoding.append(second, typeId: 1)
            if addSpecialTokens { encoding.appendSpecial([separatorId], typeId: 1) }
        }
        return encoding
    }
}
