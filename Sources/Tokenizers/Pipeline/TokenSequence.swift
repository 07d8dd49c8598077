/// The tokens of one input text, before truncation and post-processing.
struct TokenSequence: Sendable {
    /// Token ids in text order.
    var ids: [Int32] = []
    /// Unicode scalar offsets of each token in the original text.
    var offsets: [Range<Int>] = []

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
        case .left:
            ids.removeSubrange(..<(count - length))
            offsets.removeSubrange(..<(offsets.count - length))
        }
        return true
    }
}
