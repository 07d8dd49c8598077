/// A regex character class: scalar ranges and Unicode classes, possibly negated, with an ASCII bitmap fast path.
struct ScalarSet: Sendable {
    /// One member of a class.
    enum Item: Sendable {
        case range(ClosedRange<UInt32>)
        /// Scalars having any of the classes, or (when `negated`) lacking all of them.
        case properties(RegexProperties, negated: Bool)
        case set(ScalarSet)
    }

    private(set) var items: [Item]
    private(set) var negated: Bool
    private var asciiLow: UInt64 = 0
    private var asciiHigh: UInt64 = 0

    init(_ items: [Item], negated: Bool = false) {
        self.items = items
        self.negated = negated
        for scalar in UInt32(0)..<128 where slowContains(scalar) {
            if scalar < 64 { asciiLow |= 1 << UInt64(scalar) } else { asciiHigh |= 1 << UInt64(scalar - 64) }
        }
    }

    /// A set of exactly one scalar.
    init(scalar: UInt32) {
        self.init([.range(scalar...scalar)])
    }

    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool {
        if scalar < 64 { return asciiLow & (1 << UInt64(scalar)) != 0 }
        if scalar < 128 { return asciiHigh & (1 << UInt64(scalar - 64)) != 0 }
        return slowContains(scalar)
    }

    private func slowContains(_ scalar: UInt32) -> Bool {
        var found = false
        for item in items {
            switch item {
            case .range(let range):
                found = range.contains(scalar)
            case .properties(let properties, let negated):
                let has = !RegexPropertyTable.shared.properties(scalar).isDisjoint(with: properties)
                found = has != negated
            case .set(let set):
                found = set.contains(scalar)
            }
            if found { break }
        }
        return found != negated
    }
}
