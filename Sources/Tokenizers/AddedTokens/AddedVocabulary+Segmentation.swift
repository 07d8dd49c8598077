extension AddedVocabulary {
    /// Splits `range` of `scalars` into text and added-token segments, in order, as `tokenizers`' `find_matches`.
    ///
    /// Matches are leftmost-longest. A `singleWord` token touching a word character is skipped (and scanning
    /// resumes after it); `lstrip`/`rstrip` widen a match over adjacent whitespace. Empty text segments are
    /// not reported.
    /// - Parameters:
    ///   - normalized: Whether `scalars` is normalized text, which selects the tokens matched.
    func segment(
        _ scalars: [UInt32],
        _ range: Range<Int>,
        normalized: Bool,
        _ body: (Segment) -> Void
    ) {
        guard let matcher = normalized ? normalizedMatcher : rawMatcher else {
            if !range.isEmpty { body(.text(range)) }
            return
        }
        let tables = UnicodeTables.shared
        var textStart = range.lowerBound
        scalars.withUnsafeBufferPointer { buffer in
            var position = range.lowerBound
            while position < range.upperBound {
                position = matcher.nextCandidate(in: buffer, from: position, to: range.upperBound)
                guard position < range.upperBound else { break }
                guard let match = matcher.longestMatch(in: buffer, at: position, end: range.upperBound) else {
                    position += 1
                    continue
                }
                let token = tokens[Int(match.value)]
                var start = position
                var stop = match.end
                position = match.end
                if token.singleWord {
                    let startsWord = start == range.lowerBound || !Self.isWordCharacter(buffer[start - 1])
                    let endsWord = stop == range.upperBound || !Self.isWordCharacter(buffer[stop])
                    guard startsWord, endsWord else { continue }
                }
                if token.lstrip {
                    while start > textStart, tables.properties(buffer[start - 1]).contains(.whitespace) {
                        start -= 1
                    }
                }
                if token.rstrip {
                    while stop < range.upperBound, tables.properties(buffer[stop]).contains(.whitespace) {
                        stop += 1
                    }
                    position = stop
                }
                if textStart < start { body(.text(textStart..<start)) }
                body(.token(id: token.id, range: start..<stop))
                textStart = stop
            }
        }
        if textStart < range.upperBound { body(.text(textStart..<range.upperBound)) }
    }

    /// The regex `\w` class (Unicode): alphabetic, marks, decimal digits, connector punctuation, join controls.
    static func isWordCharacter(_ value: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(value) else { return false }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            return true
        default:
            return false
        }
    }
}
