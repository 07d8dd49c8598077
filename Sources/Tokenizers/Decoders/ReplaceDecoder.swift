/// `Replace` decoder with a string pattern: replaces every occurrence in each token (e.g. `▁` by a space).
struct ReplaceDecoder: TokenDecoder {
    let pattern: String
    let content: String

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { $0.replacingAll(pattern, with: content) }
    }
}
