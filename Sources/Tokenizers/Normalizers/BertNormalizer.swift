/// `BertNormalizer`: removes control characters, spaces out CJK ideographs, strips accents and lowercases.
///
/// The steps run in `tokenizers`' order — clean text, CJK, strip accents (NFD, then drop Mn), lowercase —
/// fused into one pass over the scalars. Fusing is exact: every step maps one scalar at a time except NFD's
/// canonical reordering, which is done by insertion as marks arrive and commutes with dropping Mn.
struct BertNormalizer: Normalizer {
    /// Options as in tokenizer.json.
    struct Options: Sendable {
        var cleanText = true
        var handleChineseChars = true
        /// `nil` follows `lowercase`, as in `tokenizers`.
        var stripAccents: Bool? = nil
        var lowercase = true
    }

    private static let removed: UInt32 = .max

    private let options: Options
    private let stripAccents: Bool
    /// The output for each ASCII scalar after cleaning and lowercasing, or `removed`.
    private let asciiOutput: [UInt32]

    init(_ options: Options) {
        self.options = options
        self.stripAccents = options.stripAccents ?? options.lowercase
        let tables = UnicodeTables.shared
        asciiOutput = (UInt32(0)..<128).map { scalar in
            let properties = tables.properties(scalar)
            if options.cleanText {
                if properties.contains(.removedByCleanText) { return Self.removed }
                if properties.contains(.cleanTextWhitespace) { return 0x20 }
            }
            if options.lowercase, scalar >= 0x41, scalar <= 0x5A { return scalar + 0x20 }
            return scalar
        }
    }

    func normalize(_ text: inout NormalizedText) {
        let tables = UnicodeTables.shared
        var output = NormalizedText(capacity: text.count + text.count / 4)
        asciiOutput.withUnsafeBufferPointer { ascii in
            for index in text.scalars.indices {
                let scalar = text.scalars[index]
                let origin = text.origins[index]
                if scalar < 0x80 {
                    let mapped = ascii[Int(scalar)]
                    if mapped != Self.removed { output.append(mapped, origin: origin) }
                    continue
                }
                let properties = tables.properties(scalar)
                if options.cleanText {
                    if properties.contains(.removedByCleanText) { continue }
                    if properties.contains(.cleanTextWhitespace) {
                        output.append(0x20, origin: origin)
                        continue
                    }
                }
                if options.handleChineseChars, properties.contains(.chinese) {
                    output.append(0x20, origin: origin)
                    appendStrippedAndLowercased(scalar, properties, origin, tables, &output)
                    output.append(0x20, origin: origin)
                } else {
                    appendStrippedAndLowercased(scalar, properties, origin, tables, &output)
                }
            }
        }
        text = output
    }

    @inline(__always)
    private func appendStrippedAndLowercased(
        _ scalar: UInt32,
        _ properties: ScalarProperties,
        _ origin: Int32,
        _ tables: UnicodeTables,
        _ output: inout NormalizedText
    ) {
        guard stripAccents else {
            appendLowercased(scalar, properties, origin, tables, &output)
            return
        }
        if properties.contains(.decomposes) || properties.contains(.hangulSyllable) {
            tables.forEachDecomposed(scalar) { part in
                let partProperties = part < 0x80 ? [] : tables.properties(part)
                appendUnlessMark(part, partProperties, origin, tables, &output)
            }
        } else {
            appendUnlessMark(scalar, properties, origin, tables, &output)
        }
    }

    /// The part of accent stripping after decomposition: drop Mn, put other combining marks in canonical order.
    @inline(__always)
    private func appendUnlessMark(
        _ scalar: UInt32,
        _ properties: ScalarProperties,
        _ origin: Int32,
        _ tables: UnicodeTables,
        _ output: inout NormalizedText
    ) {
        if properties.contains(.nonspacingMark) { return }
        let start = output.count
        appendLowercased(scalar, properties, origin, tables, &output)
        guard properties.contains(.combining) else { return }
        // Canonical ordering: move the mark before preceding marks of a higher class. Lowercasing never
        // changes the class of a mark, so comparing the (already lowercased) output is exact.
        let combiningClass = tables.combiningClass(scalar)
        var position = start
        while position > 0 {
            let previous = output.scalars[position - 1]
            guard previous >= 0x80, tables.combiningClass(previous) > combiningClass else { break }
            position -= 1
        }
        if position < start {
            output.scalars.insert(output.scalars.removeLast(), at: position)
            output.origins.insert(output.origins.removeLast(), at: position)
        }
    }

    @inline(__always)
    private func appendLowercased(
        _ scalar: UInt32,
        _ properties: ScalarProperties,
        _ origin: Int32,
        _ tables: UnicodeTables,
        _ output: inout NormalizedText
    ) {
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
