/// The compact text form the generated Unicode tables are committed in (`0041-005A 00C0:0041.0300 ...`), and the
/// block packing that turns a flat per-scalar array into a two-level table; shared by ``UnicodeTables`` and
/// ``NormalizationTables``.
enum UnicodeTableText {
    /// The space- or newline-separated items of a table string.
    static func items(_ data: String) -> [Substring] {
        data.split(whereSeparator: { $0 == " " || $0 == "\n" })
    }

    /// `0041` or `0041-005A`, in hexadecimal.
    static func range(_ item: Substring) -> ClosedRange<UInt32> {
        let bounds = item.split(separator: "-")
        let first = UInt32(bounds[0], radix: 16) ?? 0
        return first...(bounds.count > 1 ? UInt32(bounds[1], radix: 16) ?? first : first)
    }

    /// `00C0:0041.0300` items: a scalar and the scalars it maps to.
    static func mappings(_ data: String) -> [(UInt32, [UInt32])] {
        items(data).compactMap { item in
            let parts = item.split(separator: ":")
            guard parts.count == 2, let source = UInt32(parts[0], radix: 16) else { return nil }
            return (source, parts[1].split(separator: ".").compactMap { UInt32($0, radix: 16) })
        }
    }

    /// Shares identical blocks of `1 << shift` entries of `flat`: an index of block numbers and the distinct
    /// blocks one after another.
    static func packBlocks(_ flat: [UInt32], shift: UInt32) -> (index: [UInt16], entries: [UInt32]) {
        let size = 1 << Int(shift)
        var index: [UInt16] = []
        var entries: [UInt32] = []
        var known: [ArraySlice<UInt32>: UInt16] = [:]
        for start in stride(from: 0, to: flat.count, by: size) {
            let block = flat[start..<start + size]
            if let existing = known[block] {
                index.append(existing)
            } else {
                let number = UInt16(entries.count / size)
                known[block] = number
                index.append(number)
                entries.append(contentsOf: block)
            }
        }
        return (index, entries)
    }
}
