/// `Whitespace` pre-tokenizer: the matches of `\w+|[^\w\s]+` (Rust `regex` classes), everything else dropped.
///
/// Runs of word characters and runs of other non-space characters become words, in order.
struct WhitespacePreTokenizer: PreTokenizer {
    private enum ScalarClass {
        case word, space, other
    }

    func preTokenize(_ text: inout PreTokenizedText) {
        let tables = NormalizationTables.shared
        func classify(_ scalar: UInt32) -> ScalarClass {
            let flags = tables.flags(scalar)
            if flags.contains(.word) { return .word }
            if flags.contains(.space) { return .space }
            return .other
        }
        var words: [Range<Int>] = []
        words.reserveCapacity(text.words.count * 2)
        for piece in text.words {
            var start = piece.lowerBound
            var current = ScalarClass.space
            for index in piece {
                let scalarClass = classify(text.text.scalars[index])
                guard scalarClass != current else { continue }
                if current != .space { words.append(start..<index) }
                start = index
                current = scalarClass
            }
            if current != .space, start < piece.upperBound { words.append(start..<piece.upperBound) }
        }
        text.words = words
    }
}
