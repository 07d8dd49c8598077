/// `TemplateProcessing`: lays out sequences and special tokens as the `single` or `pair` template says.
struct TemplateProcessing: PostProcessor {
    /// One element of a template.
    enum Piece: Sendable, Equatable {
        /// The first (`A`) or second (`B`) input sequence, with the segment id its tokens get.
        case sequence(isFirst: Bool, typeId: Int32)
        /// A special token's ids, added only when special tokens are requested.
        case specialToken(ids: [Int32], typeId: Int32)
    }

    /// The template for one text.
    let single: [Piece]
    /// The template for a pair of texts.
    let pair: [Piece]

    func addedTokenCount(isPair: Bool) -> Int {
        (isPair ? pair : single).reduce(0) { count, piece in
            if case .specialToken(let ids, _) = piece { return count + ids.count }
            return count
        }
    }

    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding {
        let template = second == nil ? single : pair
        var encoding = Encoding(capacity: first.count + (second?.count ?? 0) + addedTokenCount(isPair: second != nil))
        for piece in template {
            switch piece {
            case .sequence(let isFirst, let typeId):
                if let sequence = isFirst ? first : second {
                    encoding.append(sequence, typeId: typeId)
                }
            case .specialToken(let ids, let typeId):
                if addSpecialTokens { encoding.appendSpecial(ids, typeId: typeId) }
            }
        }
        return encoding
    }
}
