extension Truncation {
    /// Shortens one sequence or a pair the way `tokenizers`' `truncate_encodings` does.
    ///
    /// Two cases where `tokenizers` raises an error are resolved instead, because encoding never fails:
    /// `onlyFirst`/`onlySecond` when that sequence is too short (or absent) fall back to `longestFirst`,
    /// and a budget smaller than the special tokens empties the sequences (where `tokenizers` would wrap
    /// around and not truncate at all).
    /// - Parameters:
    ///   - first: The first sequence.
    ///   - second: The second sequence of a pair, if any.
    ///   - reserved: Tokens the post-processor will add, subtracted from ``maxLength``.
    /// - Returns: Whether any token was removed.
    func apply(to first: inout TokenSequence, _ second: inout TokenSequence?, reserved: Int) -> Bool {
        let budget = max(maxLength - reserved, 0)
        let total = first.count + (second?.count ?? 0)
        guard total > budget else { return false }
        if budget == 0 {
            first.truncate(to: 0, direction: direction)
            second?.truncate(to: 0, direction: direction)
            return true
        }
        let excess = total - budget
        switch strategy {
        case .onlyFirst where first.count > excess:
            return first.truncate(to: first.count - excess, direction: direction)
        case .onlySecond where second.map { $0.count > excess } ?? false:
            return second!.truncate(to: second!.count - excess, direction: direction)
        default:
            return applyLongestFirst(to: &first, &second, budget: budget)
        }
    }

    private func applyLongestFirst(to first: inout TokenSequence, _ second: inout TokenSequence?, budget: Int) -> Bool {
        guard second != nil else {
            return first.truncate(to: budget, direction: direction)
        }
        // Give the shorter sequence what it needs up to half the budget, the longer one the rest.
        let swapped = first.count > second!.count
        var shorter = swapped ? second!.count : first.count
        var longer: Int
        if shorter > budget {
            longer = shorter
        } else {
            longer = max(shorter, budget - shorter)
        }
        if shorter + longer > budget {
            shorter = budget / 2
            longer = shorter + budget % 2
        }
        let (firstLength, secondLength) = swapped ? (longer, shorter) : (shorter, longer)
        let truncatedFirst = first.truncate(to: firstLength, direction: direction)
        let truncatedSecond = second!.truncate(to: secondLength, direction: direction)
        return truncatedFirst || truncatedSecond
    }
}
