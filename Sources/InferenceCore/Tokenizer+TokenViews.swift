import Tokenizers

extension Tokenizer {
    /// Tokenizes `text` without truncation and pairs each token with the text it covers (offsets are
    /// Unicode scalar positions in `text`), as `/tokenize` and `tern tokenize` show them.
    public func tokenViews(of text: String, addSpecialTokens: Bool = true) -> [TokenView] {
        let encoding = encode(text, addSpecialTokens: addSpecialTokens)
        let scalars = Array(text.unicodeScalars)
        var views: [TokenView] = []
        views.reserveCapacity(encoding.count)
        for position in 0..<encoding.count {
            let id = encoding.ids[position]
            if encoding.specialTokensMask[position] == 1 {
                views.append(TokenView(id: id, text: token(forId: id) ?? "", special: true, span: nil))
                continue
            }
            let span = position < encoding.offsets.count ? encoding.offsets[position] : 0..<0
            let lower = min(max(span.lowerBound, 0), scalars.count)
            let upper = min(max(span.upperBound, lower), scalars.count)
            var covered = String.UnicodeScalarView()
            covered.append(contentsOf: scalars[lower..<upper])
            views.append(TokenView(id: id, text: String(covered), special: false, span: lower..<upper))
        }
        return views
    }
}
