/// `BPEDecoder`: replaces the end-of-word suffix (`</w>`) by a space, or by nothing in the last token.
struct BPEDecoder: TokenDecoder {
    let suffix: String

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            token.replacingAll(suffix, with: index == tokens.count - 1 ? "" : " ")
        }
    }
}
