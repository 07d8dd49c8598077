/// `BertNormalizer`: removes control characters, spaces out CJK ideographs, strips accents and lowercases.
///
/// The steps run in `tokenizers`' order — clean text, CJK, strip accents (NFD, then drop Mn), lowercase —
/// fused into one pass over the scalars. Fusing is exact: every step maps one scalar at a time except NFD's
/// canonical reordering, for which runs of combining marks are held back until they end (see ``Pass``).
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

    let options: Options
    /// Whether accents are stripped: `stripAccents`, or `lowercase` when that is nil.
    let stripAccents: Bool
    /// The output for each ASCII scalar after cleaning and lowercasing, or `removed`.
    private let asciiOutput: [UInt32]
    /// The most scalars one non-ASCII input scalar can become.
    private let maxExpansion: Int
    /// The character data, shared by every normalizer.
    let tables = UnicodeTables.shared

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
            var pass = Pass(normalizer: self, output: output)
            asciiOutput.withUnsafeBufferPointer { ascii in
                for index in scalars.indices {
                    let scalar = scalars[index]
                    let origin = origins?[index] ?? firstOrigin + Int32(index)
                    if scalar < 0x80 {
                        let mapped = ascii[Int(scalar)]
                        guard mapped != Self.removed else { continue }
                        if pass.hasPendingMarks { pass.flushMarks() }
                        pass.output.append(mapped, origin: origin)
                    } else {
                        pass.appendNonASCII(scalar, origin)
                    }
                }
            }
            if pass.hasPendingMarks { pass.flushMarks() }
            output = pass.output
        }
    }
}
