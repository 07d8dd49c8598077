/// ByteLevel's `trim_offsets`: moves token offsets in past the leading and trailing spaces of the token's string
/// (`Ġ`, or whitespace in an added token), so that `Ġhello` points at `hello` only.
struct OffsetTrimming: Sendable {
    /// For each id, its token's leading space count in the high 16 bits and trailing count in the low 16 bits.
    private let spaceCounts: [UInt32]
    /// Whether the pre-tokenizer added a prefix space, which the first token then keeps.
    let addPrefixSpace: Bool

    /// Counts the spaces of every token string.
    /// - Parameters:
    ///   - idCount: One more than the largest id.
    ///   - tokenText: The string of an id (the added token's content for added tokens).
    init(idCount: Int, addPrefixSpace: Bool, tokenText: (Int32) -> String?) {
        let tables = UnicodeTables.shared
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.value == 0x120 || tables.properties(scalar.value).contains(.whitespace)
        }
        var counts = [UInt32](repeating: 0, count: idCount)
        for id in 0..<idCount {
            guard let text = tokenText(Int32(id)) else { continue }
            let scalars = text.unicodeScalars
            let leading = scalars.prefix(while: isSpace).count
            let trailing = scalars.reversed().prefix(while: isSpace).count
            counts[id] = UInt32(min(leading, 0xFFFF)) << 16 | UInt32(min(trailing, 0xFFFF))
        }
        self.spaceCounts = counts
        self.addPrefixSpace = addPrefixSpace
    }

    /// Trims the offsets of one sequence's tokens, as `tokenizers`' `process_offsets` does.
    func trim(_ sequence: TokenSequence) -> TokenSequence {
        var sequence = sequence
        var padded = sequence.paddedAddedTokens[...]
        for index in sequence.offsets.indices {
            var leading: Int
            let trailing: Int
            if let next = padded.first, next.index == index {
                // The token's string is its matched text, stripped whitespace included.
                (leading, trailing) = (next.leading, next.trailing)
                padded = padded.dropFirst()
            } else {
                let id = sequence.ids[index]
                guard id >= 0, Int(id) < spaceCounts.count, spaceCounts[Int(id)] != 0 else { continue }
                leading = Int(spaceCounts[Int(id)] >> 16)
                trailing = Int(spaceCounts[Int(id)] & 0xFFFF)
            }
            guard leading > 0 || trailing > 0 else { continue }
            var range = sequence.offsets[index]
            if leading > 0 {
                let isFirst = index == 0 || range.lowerBound == 0
                if isFirst && addPrefixSpace && leading == 1 { leading = 0 }
                range = min(range.lowerBound + leading, range.upperBound)..<range.upperBound
            }
            if trailing > 0, range.upperBound >= trailing {
                range = range.lowerBound..<max(range.upperBound - trailing, range.lowerBound)
            }
            sequence.offsets[index] = range
        }
        return sequence
    }
}
