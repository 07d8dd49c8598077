extension UnicodeTables {
    /// Parses ``UnicodeTableData`` into one flat entry per code point, then packs them into shared blocks.
    struct Builder {
        private(set) var flat = [UInt32](repeating: 0, count: 0x110000)
        private(set) var mappedScalars: [UInt32] = []
        private(set) var lowercaseRanges: [Range<Int32>] = [0..<0]
        private(set) var decompositionRanges: [Range<Int32>] = [0..<0]
        private(set) var combiningClasses: [UInt8] = [0]

        mutating func build() {
            mark(UnicodeTableData.cleanTextRemoved, .removedByCleanText)
            mark(UnicodeTableData.cleanTextWhitespace, .cleanTextWhitespace)
            mark(UnicodeTableData.chinese, .chinese)
            mark(UnicodeTableData.whitespace, .whitespace)
            mark(UnicodeTableData.punctuation, .punctuation)
            mark(UnicodeTableData.nonspacingMarks, .nonspacingMark)
            for scalar in UInt32(0xAC00)...0xD7A3 {
                flat[Int(scalar)] |= UInt32(ScalarProperties.hangulSyllable.rawValue)
            }
            for (scalar, targets) in UnicodeTableText.mappings(UnicodeTableData.lowercase) {
                let record = self.record(for: scalar, adding: .lowercases)
                lowercaseRanges[record] = append(targets)
            }
            for (scalar, targets) in UnicodeTableText.mappings(UnicodeTableData.decompositions) {
                let record = self.record(for: scalar, adding: .decomposes)
                decompositionRanges[record] = append(targets)
            }
            for item in UnicodeTableText.items(UnicodeTableData.combiningClasses) {
                let parts = item.split(separator: ":")
                let value = UInt8(parts[1])!
                for scalar in UnicodeTableText.range(parts[0]) {
                    combiningClasses[record(for: scalar, adding: .combining)] = value
                }
            }
        }

        /// Shares identical blocks of `1 << shift` entries.
        func packBlocks(shift: UInt32) -> (index: [UInt16], entries: [UInt32]) {
            UnicodeTableText.packBlocks(flat, shift: shift)
        }

        private mutating func mark(_ data: String, _ property: ScalarProperties) {
            for item in UnicodeTableText.items(data) {
                for scalar in UnicodeTableText.range(item) {
                    flat[Int(scalar)] |= UInt32(property.rawValue)
                }
            }
        }

        /// The record index of `scalar`, created on first use, after adding `property` to its entry.
        private mutating func record(for scalar: UInt32, adding property: ScalarProperties) -> Int {
            var entry = flat[Int(scalar)]
            if entry >> 16 == 0 {
                entry |= UInt32(combiningClasses.count) << 16
                lowercaseRanges.append(0..<0)
                decompositionRanges.append(0..<0)
                combiningClasses.append(0)
            }
            entry |= UInt32(property.rawValue)
            flat[Int(scalar)] = entry
            return Int(entry >> 16)
        }

        private mutating func append(_ scalars: [UInt32]) -> Range<Int32> {
            let start = Int32(mappedScalars.count)
            mappedScalars.append(contentsOf: scalars)
            return start..<Int32(mappedScalars.count)
        }
    }
}
