/// `Metaspace` pre-tokenizer (SentencePiece style): spaces become `▁`, a `▁` is prepended as the scheme says,
/// and words are split before each `▁`.
struct MetaspacePreTokenizer: PreTokenizer {
    /// When to prepend the replacement character (`prepend_scheme`).
    enum PrependScheme: String, Sendable {
        case always, first, never
    }

    let replacement: UInt32
    let prependScheme: PrependScheme
    /// Whether to split before each replacement character.
    let split: Bool

    func preTokenize(_ text: inout PreTokenizedText) {
        let source = text.text
        var output = NormalizedText(capacity: source.count + text.words.count)
        var words: [Range<Int>] = []
        for piece in text.words where !piece.isEmpty {
            let start = output.count
            let first = source.scalars[piece.lowerBound]
            let startsWithReplacement = first == replacement || first == 0x20
            let prepends =
                switch prependScheme {
                case .always: !startsWithReplacement
                case .first: !startsWithReplacement && source.origins[piece.lowerBound] == 0
                case .never: false
                }
            if prepends { output.append(replacement, origin: source.origins[piece.lowerBound]) }
            for index in piece {
                let scalar = source.scalars[index]
                output.append(scalar == 0x20 ? replacement : scalar, origin: source.origins[index])
            }
            guard split else {
                words.append(start..<output.count)
                continue
            }
            var splits: [(range: Range<Int>, isMatch: Bool)] = []
            var previous = start
            for index in start..<output.count where output.scalars[index] == replacement {
                if previous != index { splits.append((previous..<index, false)) }
                splits.append((index..<index + 1, true))
                previous = index + 1
            }
            if previous != output.count { splits.append((previous..<output.count, false)) }
            words.append(contentsOf: SplitPreTokenizer.apply(.mergedWithNext, to: splits).map(\.range))
        }
        text = PreTokenizedText(text: output, words: words)
    }
}
