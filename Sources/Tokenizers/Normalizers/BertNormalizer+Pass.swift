extension BertNormalizer {
    /// The state of one normalization: the output, and the combining marks waiting for canonical ordering.
    ///
    /// Accent stripping is NFD followed by dropping Mn. NFD sorts each run of marks (non-zero combining class)
    /// by class, and `tokenizers` assigns origins to the sorted run by position: the k-th scalar that stood for
    /// an input character takes the k-th such character's origin, scalars added by a decomposition take the
    /// origin of the last one consumed. Marks therefore wait in `pendingMarks` until the run ends, and are
    /// only then dropped or written, so that offsets match too.
    struct Pass {
        /// A mark in the current run.
        private struct Mark {
            var scalar: UInt32
            var combiningClass: UInt8
            var origin: Int32
            /// Whether it stands for an input character (rather than being added by a decomposition).
            var consumes: Bool
        }

        private let options: Options
        private let stripAccents: Bool
        private let tables: UnicodeTables
        var output: NormalizedText.Writer
        private var pendingMarks: [Mark] = []
        /// The origin of the last input character a decomposition consumed.
        private var lastConsumedOrigin: Int32 = 0

        init(normalizer: BertNormalizer, output: NormalizedText.Writer) {
            self.options = normalizer.options
            self.stripAccents = normalizer.stripAccents
            self.tables = normalizer.tables
            self.output = output
        }

        var hasPendingMarks: Bool { !pendingMarks.isEmpty }

        /// Cleans, spaces out CJK, strips accents and lowercases one non-ASCII input scalar.
        mutating func appendNonASCII(_ scalar: UInt32, _ origin: Int32) {
            let properties = tables.properties(scalar)
            if options.cleanText {
                if properties.contains(.removedByCleanText) { return }
                if properties.contains(.cleanTextWhitespace) {
                    appendStarter(0x20, [], origin)
                    return
                }
            }
            if options.handleChineseChars, properties.contains(.chinese) {
                appendStarter(0x20, [], origin)
                appendStrippedAndLowercased(scalar, properties, origin)
                appendStarter(0x20, [], origin)
            } else {
                appendStrippedAndLowercased(scalar, properties, origin)
            }
        }

        private mutating func appendStrippedAndLowercased(
            _ scalar: UInt32,
            _ properties: ScalarProperties,
            _ origin: Int32
        ) {
            guard stripAccents else {
                appendLowercased(scalar, properties, origin)
                return
            }
            if properties.contains(.decomposes) || properties.contains(.hangulSyllable) {
                var consumes = true
                tables.forEachDecomposed(scalar) { part in
                    appendDecomposed(part, part < 0x80 ? [] : tables.properties(part), origin, consumes: consumes)
                    consumes = false
                }
            } else {
                appendDecomposed(scalar, properties, origin, consumes: true)
            }
        }

        /// One scalar of the NFD form: marks join the pending run, anything else ends it.
        private mutating func appendDecomposed(
            _ scalar: UInt32,
            _ properties: ScalarProperties,
            _ origin: Int32,
            consumes: Bool
        ) {
            if properties.contains(.combining) {
                let mark = Mark(
                    scalar: scalar, combiningClass: tables.combiningClass(scalar), origin: origin, consumes: consumes)
                pendingMarks.append(mark)
                return
            }
            lastConsumedOrigin = origin
            appendStarter(scalar, properties, origin)
        }

        /// Writes a scalar of combining class 0, after the marks before it.
        private mutating func appendStarter(_ scalar: UInt32, _ properties: ScalarProperties, _ origin: Int32) {
            if hasPendingMarks { flushMarks() }
            if stripAccents, properties.contains(.nonspacingMark) { return }
            appendLowercased(scalar, properties, origin)
        }

        /// Sorts the pending run by combining class, assigns origins by position, drops Mn, writes the rest.
        mutating func flushMarks() {
            var marks = pendingMarks
            pendingMarks.removeAll(keepingCapacity: true)
            let consumedOrigins = marks.filter(\.consumes).map(\.origin)
            // Stable insertion sort: runs are a few marks long.
            for index in marks.indices.dropFirst() {
                let mark = marks[index]
                var position = index
                while position > 0, marks[position - 1].combiningClass > mark.combiningClass { position -= 1 }
                if position < index {
                    marks.remove(at: index)
                    marks.insert(mark, at: position)
                }
            }
            var nextConsumed = 0
            for mark in marks {
                var origin = lastConsumedOrigin
                if mark.consumes {
                    origin = consumedOrigins[nextConsumed]
                    nextConsumed += 1
                    lastConsumedOrigin = origin
                }
                let properties = tables.properties(mark.scalar)
                if !properties.contains(.nonspacingMark) {
                    appendLowercased(mark.scalar, properties, origin)
                }
            }
        }

        private mutating func appendLowercased(_ scalar: UInt32, _ properties: ScalarProperties, _ origin: Int32) {
            if !options.lowercase {
                output.append(scalar, origin: origin)
            } else if scalar < 0x80 {
                output.append(scalar >= 0x41 && scalar <= 0x5A ? scalar + 0x20 : scalar, origin: origin)
            } else if properties.contains(.lowercases) {
                tables.forEachLowercase(scalar) { output.append($0, origin: origin) }
            } else {
                output.append(scalar, origin: origin)
            }
        }
    }
}
