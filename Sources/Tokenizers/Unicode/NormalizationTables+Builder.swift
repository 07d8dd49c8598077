extension NormalizationTables {
    /// Parses ``NormalizationTableData`` into one flat entry per code point, then packs them into shared blocks.
    struct Builder {
        private(set) var flat = [UInt32](repeating: 0, count: 0x110000)
        private(set) var decompositionScalars: [UInt32] = []
        private(set) var decompositionRanges: [Range<Int32>] = [0..<0]
        private(set) var compositions: [UInt64: UInt32] = [:]

        mutating func build() {
            mark(NormalizationTableData.wordCharacters, .word)
            mark(NormalizationTableData.spaceCharacters, .space)
            mark(NormalizationTableData.combiningMarks, .combiningMark)
            mark(NormalizationTableData.numeric, .numeric)
            for item in Self.items(NormalizationTableData.scripts) {
                let parts = item.split(separator: ":")
                guard parts.count == 2, let script = UInt8(parts[1]) else { continue }
                for scalar in Self.range(parts[0]) { flat[Int(scalar)] |= UInt32(script) }
            }
            for (scalar, targets) in Self.mappings(NormalizationTableData.compatibilityDecompositions) {
                flat[Int(scalar)] |= Flags.compatibilityDecomposition.rawValue | UInt32(decompositionRanges.count) << 16
                let start = Int32(decompositionScalars.count)
                decompositionScalars.append(contentsOf: targets)
                decompositionRanges.append(start..<Int32(decompositionScalars.count))
            }
            for (composite, parts) in Self.mappings(NormalizationTableData.compositions) where parts.count == 2 {
                compositions[UInt64(parts[0]) << 32 | UInt64(parts[1])] = composite
            }
        }

        /// Shares identical blocks of `1 << shift` entries.
        func packBlocks(shift: UInt32) -> (index: [UInt16], entries: [UInt32]) {
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

        private mutating func mark(_ data: String, _ flag: Flags) {
            for item in Self.items(data) {
                for scalar in Self.range(item) { flat[Int(scalar)] |= flag.rawValue }
            }
        }

        private static func items(_ data: String) -> [Substring] {
            data.split(whereSeparator: { $0 == " " || $0 == "\n" })
        }

        private static func range(_ item: Substring) -> ClosedRange<UInt32> {
            let bounds = item.split(separator: "-")
            let first = UInt32(bounds[0], radix: 16) ?? 0
            return first...(bounds.count > 1 ? UInt32(bounds[1], radix: 16) ?? first : first)
        }

        private static func mappings(_ data: String) -> [(UInt32, [UInt32])] {
            items(data).compactMap { item in
                let parts = item.split(separator: ":")
                guard parts.count == 2, let source = UInt32(parts[0], radix: 16) else { return nil }
                return (source, parts[1].split(separator: ".").compactMap { UInt32($0, radix: 16) })
            }
        }
    }
}
