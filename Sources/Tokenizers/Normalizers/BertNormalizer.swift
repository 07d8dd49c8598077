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
    /// The most scalars one non-ASCII input scalar can become.
    private let maxExpansion: Int
    private let tables = UnicodeTables.shared

    init(_ options: Options) {
        self.options = options
        self.stripAccents = options.stripAccents ?? options.lowercase
        let tables = self.tables
        asciiOutput = (UInt32(0)..<128).map { scalar in
            let properties = tables.properties(scalar)
            if options.cleanText {
                if properties.contains(.removedByCleanText) { return Self.removed }
                if properties.contains(.cleanTextWhitespace) { return 0x20 }
            }
            if options.lowercase, scalar >= 0x41, scalar <= 0x5A { return scalar + 0x20 }
            return scalar
        }
        // Spaces around a CJK ideograph, whose decomposition's scalars may each lowercase to several.
        maxExpansion = 2 + tables.maxDecompositionLength * tables.maxLowercaseLength
    }

    func normalize(_ text: inout NormalizedText) {
        text = text.scalars.withUnsafeBufferPointer { scalars in
            text.origins.withUnsafeBufferPointer { origins in
                normalize(scalars, origins: origins, firstOrigin: 0)
            }
        }
    }

    func normalized(_ original: [UInt32], range: Range<Int>) -> NormalizedText {
        original.withUnsafeBufferPointer { scalars in
            normalize(.init(rebasing: scalars[range]), origins: nil, firstOrigin: Int32(range.lowerBound))
        }
    }

    /// Normalizes `scalars`, whose origins are `origins` or, when nil, consecutive from `firstOrigin`.
    private func normalize(
        _ scalars: UnsafeBufferPointer<UInt32>,
        origins: UnsafeBufferPointer<Int32>?,
        firstOrigin: Int32
    ) -> NormalizedText {
        var nonASCII = 0
        for scalar in scalars where scalar >= 0x80 { nonASCII += 1 }
        let capacity = scalars.count + nonASCII * (maxExpansion - 1)
        return NormalizedText(capacity: capacity) { output in
            asciiOutput.withUnsafeBufferPointer { ascii in
                for index in scalars.indices {
                    let scalar = scalars[index]
                    let origin = origins?[index] ?? firstOrigin + Int32(index)
                    if scalar < 0x80 {
                        let mapped = ascii[Int(scalar)]
                        if mapped != Self.removed { output.append(mapped, origin: origin) }
                    } else {
                        appendNonASCII(scalar, origin, &output)
                    }
                }
            }
        }
    }

    @inline(__always)
    private func appendNonASCII(_ scalar: UInt32, _ origin: Int32, _ output: inout NormalizedText.Writer) {
        let properties = tables.properties(scalar)
        if options.cleanText {
            if properties.contains(.removedByCleanText) { return }
            if properties.contains(.cleanTextWhitespace) {
                output.append(0x20, origin: origin)
                return
            }
        }
        if options.handleChineseChars, properties.contains(.chinese) {
            output.append(0x20, origin: origin)
            appendStrippedAndLowercased(scalar, properties, origin, &output)
            output.append(0x20, origin: origin)
        } else {
            appendStrippedAndLowercased(scalar, properties, origin, &output)
        }
    }

    @inline(__always)
    private func appendStrippedAndLowercased(
        _ scalar: UInt32,
        _ properties: ScalarProperties,
        _ origin: Int32,
        _ output: inout NormalizedText.Writer
    ) {
        guard stripAccents else {
            appendLowercased(scalar, properties, origin, &output)
            return
        }
        if properties.contains(.decomposes) || properties.contains(.hangulSyllable) {
            tables.forEachDecomposed(scalar) { part in
                appendUnlessMark(part, part < 0x80 ? [] : tables.properties(part), origin, &output)
            }
        } else {
            appendUnlessMark(scalar, properties, origin, &output)
        }
    }

    /// The part of accent stripping after decomposition: drop Mn, put other combining marks in canonical order.
    @inline(__always)
    private func appendUnlessMark(
        _ scalar: UInt32,
        _ properties: ScalarProperties,
        _ origin: Int32,
        _ output: inout NormalizedText.Writer
    ) {
        if properties.contains(.nonspacingMark) { return }
        let start = output.count
        appendLowercased(scalar, properties, origin, &output)
        guard properties.contains(.combining) else { return }
        // Canonical ordering: move the mark before preceding marks of a higher class. Lowercasing never
        // changes the class of a mark, so comparing the (already lowercased) output is exact.
        let combiningClass = tables.combiningClass(scalar)
        var position = start
        while position > 0, output[position - 1] >= 0x80, tables.combiningClass(output[position - 1]) > combiningClass {
            position -= 1
        }
        if position < start { output.moveLast(to: position) }
    }

    @inline(__always)
    private func appendLowercased(
        _ scalar: UInt32,
        _ properties: ScalarProperties,
        _ origin: Int32,
        _ output: inout NormalizedText.Writer
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
