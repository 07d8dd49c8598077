/// Turns token strings back into text (`decoder` in tokenizer.json).
///
/// Decoders work as a chain, like `tokenizers`' `decode_chain`: each maps token strings to new strings, and
/// the final text is the concatenation of the last decoder's output.
protocol TokenDecoder: Sendable {
    /// Rewrites the token strings; the output may hold fewer or more strings than the input.
    func decodeChain(_ tokens: [String]) -> [String]
}

extension TokenDecoder {
    /// The text of the tokens.
    func decode(_ tokens: [String]) -> String {
        decodeChain(tokens).joined()
    }
}
