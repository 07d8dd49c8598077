/// `ByteLevel` pre-tokenizer: optionally prefixes a space, splits with GPT-2's pattern, then rewrites each word
/// as its UTF-8 bytes in ``ByteLevelAlphabet`` characters.
///
/// Every byte character keeps the origin of the scalar it came from, so a token holding part of a scalar's bytes
/// is reported with that whole scalar's offsets, as `tokenizers` does.
struct ByteLevelPreTokenizer: PreTokenizer {
    /// Whether a piece of text not starting with a space gets one, so that its first word looks like any other.
    let addPrefixSpace: Bool
    /// Whether to split with GPT-2's pattern; without it each piece stays one word.
    let useRegex: Bool

    func preTokenize(_ text: inout PreTokenizedText) {
        let source = text.text
        var output = NormalizedText(capacity: source.count * 2 + text.words.count)
        var words: [Range<Int>] = []
        words.reserveCapacity(source.count / 3 + 1)
        var scratch: [UInt32] = []
        var scratchOrigins: [Int32] = []
        for piece in text.words where !piece.isEmpty {
            scratch.removeAll(keepingCapacity: true)
            scratchOrigins.removeAll(keepingCapacity: true)
            if addPrefixSpace, source.scalars[piece.lowerBound] != 0x20 {
                scratch.append(0x20)
                scratchOrigins.append(source.origins[piece.lowerBound])
            }
            scratch.append(contentsOf: source.scalars[piece])
            scratchOrigins.append(contentsOf: source.origins[piece])
            scratch.withUnsafeBufferPointer { scalars in
                var start = 0
                while start < scalars.count {
                    let end = useRegex ? GPT2Pattern.matchEnd(scalars, from: start, to: scalars.count) : scalars.count
                    let wordStart = output.count
                    for index in start..<end {
                        Self.appendBytes(of: scalars[index], origin: scratchOrigins[index], to: &output)
                    }
                    words.append(wordStart..<output.count)
                    start = end
                }
            }
        }
        text = PreTokenizedText(text: output, words: words)
    }

    /// Appends the alphabet characters of the UTF-8 bytes of `scalar`.
    @inline(__always)
    private static func appendBytes(of scalar: UInt32, origin: Int32, to output: inout NormalizedText) {
        let alphabet = ByteLevelAlphabet.scalarOfByte
        if scalar < 0x80 {
            output.append(alphabet[Int(scalar)], origin: origin)
        } else if scalar < 0x800 {
            output.append(alphabet[Int(0xC0 | scalar >> 6)], origin: origin)
            output.append(alphabet[Int(0x80 | scalar & 0x3F)], origin: origin)
        } else if scalar < 0x10000 {
            output.append(alphabet[Int(0xE0 | scalar >> 12)], origin: origin)
            output.append(alphabet[Int(0x80 | scalar >> 6 & 0x3F)], origin: origin)
            output.append(alphabet[Int(0x80 | scalar & 0x3F)], origin: origin)
        } else {
            output.append(alphabet[Int(0xF0 | scalar >> 18)], origin: origin)
            output.append(alphabet[Int(0x80 | scalar >> 12 & 0x3F)], origin: origin)
            output.append(alphabet[Int(0x80 | scalar >> 6 & 0x3F)], origin: origin)
            output.append(alphabet[Int(0x80 | scalar & 0x3F)], origin: origin)
        }
    }
}
