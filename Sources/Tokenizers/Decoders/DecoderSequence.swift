/// `Sequence` decoder: runs each decoder's chain on the previous one's output.
struct DecoderSequence: TokenDecoder {
    let decoders: [any TokenDecoder]

    func decodeChain(_ tokens: [String]) -> [String] {
        decoders.reduce(tokens) { tokens, decoder in decoder.decodeChain(tokens) }
    }
}
