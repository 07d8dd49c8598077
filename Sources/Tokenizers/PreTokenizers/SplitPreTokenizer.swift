/// `Split` pre-tokenizer: finds a regex or a literal string in each word and splits around the matches.
struct SplitPreTokenizer: PreTokenizer {
    /// What is searched for.
    enum Pattern: Sendable {
        case regex(RegexProgram)
        /// A literal string as scalars; empty never matches.
        case literal([UInt32])
    }

    /// What becomes of the matches (`behavior` in tokenizer.json).
    enum Behavior: String, Sendable {
        case removed = "Removed"
        case isolated = "Isolated"
        case mergedWithPrevious = "MergedWithPrevious"
        case mergedWithNext = "MergedWithNext"
        case contiguous = "Contiguous"
    }

    let pattern: Pattern
    let behavior: Behavior
    /// Whether the text between matches is treated as the delimiter instead of the matches.
    let invert: Bool

    func preTokenize(_ text: inout PreTokenizedText) {
        var words: [Range<Int>] = []
        words.reserveCapacity(text.words.count * 2)
        text.text.scalars.withUnsafeBufferPointer { scalars in
            for word in text.words where !word.isEmpty {
                let pieces = Self.apply(behavior, to: splits(of: word, in: scalars))
                words.append(contentsOf: pieces.lazy.filter { !$0.range.isEmpty }.map(\.range))
            }
        }
        text.words = words
    }

    /// The word cut into matches and the stretches between them, each flagged as a delimiter or not.
    private func splits(
        of word: Range<Int>,
        in scalars: UnsafeBufferPointer<UInt32>
    ) -> [(range: Range<Int>, isMatch: Bool)] {
        let matches: [Range<Int>]
        switch pattern {
        case .regex(let program):
            matches = program.matches(in: scalars, word)
        case .literal(let needle):
            matches = Self.occurrences(of: needle, in: scalars, word)
        }
        var result: [(range: Range<Int>, isMatch: Bool)] = []
        var previous = word.lowerBound
        for match in matches {
            if previous != match.lowerBound { result.append((previous..<match.lowerBound, invert)) }
            result.append((match, !invert))
            previous = match.upperBound
        }
        if previous != word.upperBound { result.append((previous..<word.upperBound, invert)) }
        return result
    }

    static func occurrences(
        of needle: [UInt32],
        in scalars: UnsafeBufferPointer<UInt32>,
        _ range: Range<Int>
    ) -> [Range<Int>] {
        guard !needle.isEmpty else { return [] }
        var found: [Range<Int>] = []
        var index = range.lowerBound
        while index + needle.count <= range.upperBound {
            if scalars[index] == needle[0], needle.indices.allSatisfy({ scalars[index + $0] == needle[$0] }) {
                found.append(index..<index + needle.count)
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }

    /// Merges or drops delimiters the way `tokenizers`' `NormalizedString::split` does.
    static func apply(
        _ behavior: Behavior,
        to splits: [(range: Range<Int>, isMatch: Bool)]
    ) -> [(range: Range<Int>, isMatch: Bool)] {
        switch behavior {
        case .isolated:
            return splits
        case .removed:
            return splits.filter { !$0.isMatch }
        case .mergedWithPrevious:
            var result: [(range: Range<Int>, isMatch: Bool)] = []
            var previousMatch = false
            for split in splits {
                if split.isMatch && !previousMatch, let last = result.last {
                    result[result.count - 1].range = last.range.lowerBound..<split.range.upperBound
                } else {
                    result.append(split)
                }
                previousMatch = split.isMatch
            }
            return result
        case .mergedWithNext:
            var result: [(range: Range<Int>, isMatch: Bool)] = []
            var previousMatch = false
            for split in splits.reversed() {
                if split.isMatch && !previousMatch, let last = result.last {
                    result[result.count - 1].range = split.range.lowerBound..<last.range.upperBound
                } else {
                    result.append(split)
                }
                previousMatch = split.isMatch
            }
            return result.reversed()
        case .contiguous:
            var result: [(range: Range<Int>, isMatch: Bool)] = []
            var previousMatch = false
            for split in splits {
                if split.isMatch == previousMatch, let last = result.last {
                    result[result.count - 1].range = last.range.lowerBound..<split.range.upperBound
                } else {
                    result.append(split)
                }
                previousMatch = split.isMatch
            }
            return result
        }
    }
}
