/// `Fuse` decoder: joins all tokens into one string, so that later decoders see whole text.
struct FuseDecoder: TokenDecoder {
    func decodeChain(_ tokens: [String]) -> [String] { [tokens.joined()] }
}
