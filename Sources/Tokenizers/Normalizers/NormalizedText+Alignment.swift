extension NormalizedText {
    /// One scalar of a rewritten text and how it lines up with the text it came from, as `tokenizers`' `transform`
    /// takes it: 0 replaces the next scalar, a positive change is inserted, `-n` replaces the next scalar and
    /// removes the `n` after it.
    struct AlignedScalar: Sendable {
        var scalar: UInt32
        var change: Int32
    }

    /// The text that `rewritten` describes, its origins assigned by position as `tokenizers` does: a replacing
    /// scalar takes the origin of the next unconsumed scalar, an inserted one the origin of the last consumed one.
    func aligned(_ rewritten: [AlignedScalar]) -> NormalizedText {
        var result = NormalizedText(capacity: rewritten.count)
        var position = 0
        var lastConsumed = origins.first ?? 0
        for item in rewritten {
            if item.change > 0 || position >= origins.count {
                result.append(item.scalar, origin: lastConsumed)
                continue
            }
            result.append(item.scalar, origin: origins[position])
            position = min(origins.count, position + 1 - Int(item.change))
            lastConsumed = origins[position - 1]
        }
        return result
    }
}
