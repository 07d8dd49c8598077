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
            for item in UnicodeTableText.items(NormalizationTableData.scripts) {
                let parts = item.split(separator: ":")
                guard parts.count == 2, let script = UInt8(parts[1]) else { continue }
                for scalar in UnicodeTableText.range(parts[0]) { flat[Int(scalar)] |= UInt32(script) }
            }
            for (scalar, targets) in UnicodeTableText.mappings(NormalizationTableData.compatibilityDecompositions) {
                flat[Int(scalar)] |= Flags.compatibilityDecomposition.rawValue | UInt32(decompositionRanges.count) << 16
                let start = Int32(decompositionScalars.count)
                decompositionScalars.append(contentsOf: targets)
                decompositionRanges.append(start..<Int32(decompositionScalars.count))
            }
            for (composite, parts) in UnicodeTableText.mappings(NormalizationTableData.compositions) where parts.count == 2 {
                compositions[UInt64(parts[0]) << 32 | UInt64(parts[1])] = composite
            }
        }

        /// Shares identical blocks of `1 << shift` entries.
        func packBlocks(shift: UInt32) -> (index: [UInt16], entries: [UInt32]) {
            UnicodeTableText.packBlocks(flat, shift: shift)
        }

        private mutating func mark(_ data: String, _ flag: Flags) {
            for item in UnicodeTableText.items(data) {
                for scalar in UnicodeTableText.range(item) { flat[Int(scalar)] |= flag.rawValue }
            }
        }
    }
}
