/// The tokens of one input text, before truncation and post-processing.
struct TokenSequence: Sendable {
    /// Token ids in text order.
    var ids: [Int32] = []
    /// Unicode scalar offsets of each token in the original text.
    var offsets: [Range<Int>] = []
    /// Added tokens whose matched text starts or ends with whitespace (lstrip/rstrip matches): their index and the
    /// whitespace counts, which offset trimming uses in place of the token's content.
    var paddedAddedTokens: [(index: Int, leading: Int, trailing: Int)] = []

    var count: Int { ids.count }

    init(capacity: Int = 0) {
        ids.reserveCapacity(capacity)
        offsets.reserveCapacity(capacity)
    }

    mutating func append(_ id: Int32, offsets range: Range<Int>) {
        ids.append(id)
        offsets.append(range)
    }

    /// Drops tokens so that at most `length` remain, from the end (`.right`) or the beginning (`.left`).
    /// - Returns: Whether any token was dropped.
    @discardableResult
    mutating func truncate(to length: Int, direction: Truncation.Direction) -> Bool {
        guard length < count else { return false }
        let length = max(length, 0)
        switch direction {
        case .right:
            ids.removeSubrange(length...)
            offsets.removeSubrange(length...)
            paddedAddedTokens.removeAll { $0.index >= length }
        case .left:
            let removed = count - length
            ids.removeSubrange(..<removed)
            offsets.removeSubrange(..<removed)
            paddedAddedTokens = paddedAddedTokens.compactMap {
                $0.index >= removed ? ($0.index - removed, $0.leading, $0.trailing) : nil
            }
        }
        return true
    }
}
