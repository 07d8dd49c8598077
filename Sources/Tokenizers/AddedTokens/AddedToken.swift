/// An entry of tokenizer.json's `added_tokens`: matched in the text before the model sees it.
struct AddedToken: Sendable, Equatable {
    /// The id the token encodes to.
    var id: Int32
    /// The exact text that is matched.
    var content: String
    /// Match only when not preceded or followed by a word character (regex `\w`).
    var singleWord = false
    /// Also consume the whitespace on the left of a match.
    var lstrip = false
    /// Also consume the whitespace on the right of a match.
    var rstrip = false
    /// Match in normalized text (against the normalized content) rather than in the raw input.
    var normalized = true
    /// A special token such as `[CLS]`; informational here.
    var special = false
}

extension TokenSequence {
    /// Appends a matched added token, noting the whitespace its match took in (see ``paddedAddedTokens``).
    /// - Parameters:
    ///   - scalars: The text the token was matched in.
    ///   - range: The match in `scalars`, stripped whitespace included.
    ///   - offsets: The match in the original text.
    mutating func appendAddedToken(_ id: Int32, matched scalars: [UInt32], _ range: Range<Int>, offsets: Range<Int>) {
        let tables = UnicodeTables.shared
        func isSpace(_ scalar: UInt32) -> Bool { scalar == 0x120 || tables.properties(scalar).contains(.whitespace) }
        if let first = range.first, isSpace(scalars[first]) || isSpace(scalars[range.upperBound - 1]) {
            let leading = scalars[range].prefix(while: isSpace).count
            let trailing = scalars[range].reversed().prefix(while: isSpace).count
            paddedAddedTokens.append((count, leading, trailing))
        }
        append(id, offsets: offsets)
    }
}
