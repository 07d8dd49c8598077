/// `Metaspace` decoder: turns the replacement character (`▁`) back into spaces, dropping it from the first
/// token when the pre-tokenizer prepended one.
struct MetaspaceDecoder: TokenDecoder {
    let replacement: Unicode.Scalar
    /// Whether the pre-tokenizer's `prepend_scheme` is other than `never`.
    let prependsSpace: Bool

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            var text = String.UnicodeScalarView()
            for scalar in token.unicodeScalars {
                if scalar == replacement {
                    if !(index == 0 && prependsSpace) { text.append(" ") }
                } else {
                    text.append(scalar)
                }
            }
            return String(text)
        }
    }
}
