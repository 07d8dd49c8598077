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
