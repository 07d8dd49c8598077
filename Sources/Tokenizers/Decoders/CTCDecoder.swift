/// `CTC` decoder: collapses repeated tokens, drops the pad token and turns the word delimiter into spaces.
struct CTCDecoder: TokenDecoder {
    let padToken: String
    let wordDelimiterToken: String
    let cleanup: Bool

    func decodeChain(_ tokens: [String]) -> [String] {
        var output: [String] = []
        var previous: String? = nil
        for token in tokens where token != previous {
            previous = token
            var text = token.replacingAll(padToken, with: "")
            if cleanup {
                text = WordPieceDecoder.cleanup(text).replacingAll(wordDelimiterToken, with: " ")
            }
            if !text.isEmpty { output.append(text) }
        }
        return output
    }
}
