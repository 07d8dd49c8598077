/// `ByteFallback` decoder: turns runs of `<0xXX>` tokens back into the UTF-8 text they spell, or one U+FFFD per
/// byte when the run is not valid UTF-8.
struct ByteFallbackDecoder: TokenDecoder {
    func decodeChain(_ tokens: [String]) -> [String] {
        var output: [String] = []
        var pending: [UInt8] = []
        func flush() {
            guard !pending.isEmpty else { return }
            if let text = String(validating: pending, as: UTF8.self) {
                output.append(text)
            } else {
                output.append(contentsOf: repeatElement("\u{FFFD}", count: pending.count))
            }
            pending.removeAll()
        }
        for token in tokens {
            if let byte = Self.byte(token) {
                pending.append(byte)
            } else {
                flush()
                output.append(token)
            }
        }
        flush()
        return output
    }

    /// The byte of a `<0xXX>` token.
    private static func byte(_ token: String) -> UInt8? {
        let utf8 = Array(token.utf8)
        guard utf8.count == 6, utf8[0] == UInt8(ascii: "<"), utf8[1] == UInt8(ascii: "0"),
            utf8[2] == UInt8(ascii: "x"), utf8[5] == UInt8(ascii: ">")
        else { return nil }
        return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
    }
}
