/// `WordPiece` decoder: glues `##` pieces to the previous token, puts spaces between the others, and with
/// `cleanup` removes the spaces BERT-style tokenization puts before punctuation and contractions.
struct WordPieceDecoder: TokenDecoder {
    /// The continuing-subword prefix.
    let prefix: String
    /// Whether to apply ``cleanup(_:)``.
    let cleanup: Bool

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            var token = token
            if index != 0 {
                if token.hasPrefix(prefix), let range = token.range(of: prefix) {
                    token.removeSubrange(range)
                } else {
                    token = " " + token
                }
            }
            return cleanup ? Self.cleanup(token) : token
        }
    }

    /// `tokenizers`' `cleanup`: `" ."` to `"."`, `" n't"` to `"n't"` and so on.
    static func cleanup(_ text: String) -> String {
        let replacements = [
            (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
            (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
        ]
        var text = text
        for (pattern, replacement) in replacements where text.contains(pattern) {
            text = text.replacingAll(pattern, with: replacement)
        }
        return text
    }
}
