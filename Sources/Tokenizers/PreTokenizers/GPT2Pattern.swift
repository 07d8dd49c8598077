/// GPT-2's split pattern, `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`,
/// matched by hand with the exact semantics of Oniguruma (first alternative wins, greedy with backtracking).
///
/// Every scalar is a letter, number, whitespace or other, so matches tile the text without gaps.
enum GPT2Pattern {
    /// The end of the match that starts at `start`.
    /// - Parameters:
    ///   - scalars: The text.
    ///   - start: Where the match starts; below `end`.
    ///   - end: The end of the text.
    @inline(__always)
    static func matchEnd(_ scalars: UnsafeBufferPointer<UInt32>, from start: Int, to end: Int) -> Int {
        let table = RegexClassTable.shared
        let first = scalars[start]
        if first == 0x27, start + 1 < end, let length = contractionLength(scalars, start, end) {
            return start + length
        }
        var position = start
        var runClass = table.characterClass(first)
        if first == 0x20, start + 1 < end {
            let nextClass = table.characterClass(scalars[start + 1])
            if nextClass != .whitespace {
                position += 1
                runClass = nextClass
            }
        }
        position += 1
        while position < end, table.characterClass(scalars[position]) == runClass { position += 1 }
        guard runClass == .whitespace, position < end, position - start >= 2 else { return position }
        // `\s+(?!\S)` backs off one scalar so that the last space can lead the next word.
        return position - 1
    }

    /// The length of `'s`, `'t`, `'re`, `'ve`, `'m`, `'ll` or `'d` at `start`, if one is there.
    @inline(__always)
    private static func contractionLength(_ scalars: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Int? {
        switch scalars[start + 1] {
        case 0x73, 0x74, 0x6D, 0x64:  // s t m d
            return 2
        case 0x72, 0x76:  // r v
            return start + 2 < end && scalars[start + 2] == 0x65 ? 3 : nil
        case 0x6C:  // l
            return start + 2 < end && scalars[start + 2] == 0x6C ? 3 : nil
        default:
            return nil
        }
    }
}
