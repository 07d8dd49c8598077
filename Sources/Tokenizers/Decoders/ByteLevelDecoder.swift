/// `ByteLevel` decoder: maps ``ByteLevelAlphabet`` characters back to bytes and reads them as UTF-8, with
/// U+FFFD for invalid sequences. A token with a character outside the alphabet contributes its own UTF-8.
struct ByteLevelDecoder: TokenDecoder {
    func decodeChain(_ tokens: [String]) -> [String] {
        var bytes: [UInt8] = []
        for token in tokens {
            let mapped = token.unicodeScalars.map { ByteLevelAlphabet.byte(of: $0.value) }
            if mapped.allSatisfy({ $0 != nil }) {
                bytes.append(contentsOf: mapped.map { $0! })
            } else {
                bytes.append(contentsOf: token.utf8)
            }
        }
        return [String(decoding: bytes, as: UTF8.self)]
    }
}
