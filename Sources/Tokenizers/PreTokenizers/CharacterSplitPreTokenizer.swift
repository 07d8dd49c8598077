/// Splits words at single characters of a class: `WhitespaceSplit`, `Punctuation`, `Digits` and
/// `CharDelimiterSplit` in tokenizer.json.
///
/// Each matching scalar is its own delimiter, then ``SplitPreTokenizer/Behavior`` decides what becomes of it,
/// as `tokenizers` splits on a `Fn(char) -> bool` pattern.
struct CharacterSplitPreTokenizer: PreTokenizer {
    /// Which scalars are delimiters.
    enum Delimiter: Sendable {
        /// Rust's `char::is_whitespace`.
        case whitespace
        /// ASCII punctuation or a Unicode P* category.
        case punctuation
        /// Rust's `char::is_numeric`: digits of every script, superscripts, fractions, Roman numerals.
        case numeric
        /// One given scalar.
        case scalar(UInt32)
    }

    let delimiter: Delimiter
    let behavior: SplitPreTokenizer.Behavior

    @inline(__always)
    private func matches(_ scalar: UInt32, _ tables: UnicodeTables, _ normalization: NormalizationTables) -> Bool {
        switch delimiter {
        case .whitespace: return tables.properties(scalar).contains(.whitespace)
        case .punctuation: return tables.properties(scalar).contains(.punctuation)
        case .numeric: return scalar &- 0x30 < 10 || (scalar >= 0x80 && normalization.flags(scalar).contains(.numeric))
        case .scalar(let value): return scalar == value
        }
    }

    func preTokenize(_ text: inout PreTokenizedText) {
        let tables = UnicodeTables.shared
        let normalization = NormalizationTables.shared
        var words: [Range<Int>] = []
        words.reserveCapacity(text.words.count * 2)
        var splits: [(range: Range<Int>, isMatch: Bool)] = []
        for word in text.words where !word.isEmpty {
            splits.removeAll(keepingCapacity: true)
            var previous = word.lowerBound
            for index in word where matches(text.text.scalars[index], tables, normalization) {
                if previous < index { splits.append((previous..<index, false)) }
                splits.append((index..<index + 1, true))
                previous = index + 1
            }
            if previous < word.upperBound { splits.append((previous..<word.upperBound, false)) }
            let pieces = SplitPreTokenizer.apply(behavior, to: splits)
            words.append(contentsOf: pieces.lazy.filter { !$0.range.isEmpty }.map(\.range))
        }
        text.words = words
    }
}
