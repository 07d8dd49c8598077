/// The first stage of the pipeline: rewrites text before it is split into words (`normalizer` in tokenizer.json).
protocol Normalizer: Sendable {
    /// Rewrites `text` in place, keeping `origins` aligned with `scalars`.
    func normalize(_ text: inout NormalizedText)

    /// Normalizes `range` of the original text; origins are indices into `original`.
    ///
    /// The default copies the range and calls ``normalize(_:)``; a normalizer may read the original directly.
    func normalized(_ original: [UInt32], range: Range<Int>) -> NormalizedText
}

extension Normalizer {
    func normalized(_ original: [UInt32], range: Range<Int>) -> NormalizedText {
        var text = NormalizedText(original, range: range)
        normalize(&text)
        return text
    }
}

/// `Sequence` normalizer: applies its normalizers in order.
struct NormalizerSequence: Normalizer {
    let normalizers: [any Normalizer]

    func normalize(_ text: inout NormalizedText) {
        for normalizer in normalizers {
            normalizer.normalize(&text)
        }
    }
}

/// `Prepend` normalizer: puts a string before non-empty text; it takes the origin of the first scalar.
struct PrependNormalizer: Normalizer {
    let prefix: [UInt32]

    func normalize(_ text: inout NormalizedText) {
        guard let first = text.origins.first, !prefix.isEmpty else { return }
        text.scalars.insert(contentsOf: prefix, at: 0)
        text.origins.insert(contentsOf: repeatElement(first, count: prefix.count), at: 0)
    }
}

/// `Strip` normalizer: removes whitespace (Rust's `char::is_whitespace`) from the start and/or end.
struct StripNormalizer: Normalizer {
    let left: Bool
    let right: Bool

    func normalize(_ text: inout NormalizedText) {
        let tables = UnicodeTables.shared
        func isSpace(_ scalar: UInt32) -> Bool { tables.properties(scalar).contains(.whitespace) }
        var end = text.count
        if right { while end > 0, isSpace(text.scalars[end - 1]) { end -= 1 } }
        var start = 0
        if left { while start < end, isSpace(text.scalars[start]) { start += 1 } }
        guard start > 0 || end < text.count else { return }
        text.scalars = Array(text.scalars[start..<end])
        text.origins = Array(text.origins[start..<end])
    }
}

/// `Lowercase` normalizer: Rust's `char::to_lowercase` on each scalar; added scalars share their source's origin.
struct LowercaseNormalizer: Normalizer {
    private let tables = UnicodeTables.shared

    func normalize(_ text: inout NormalizedText) {
        var result = NormalizedText(capacity: text.count)
        for (scalar, origin) in zip(text.scalars, text.origins) {
            if scalar < 0x80 {
                result.append(scalar >= 0x41 && scalar <= 0x5A ? scalar + 0x20 : scalar, origin: origin)
            } else if tables.properties(scalar).contains(.lowercases) {
                tables.forEachLowercase(scalar) { result.append($0, origin: origin) }
            } else {
                result.append(scalar, origin: origin)
            }
        }
        text = result
    }
}

/// `StripAccents` normalizer: removes combining marks (general category M, as `tokenizers` knows it).
///
/// Usually follows `NFD`/`NFKD`, so that accents are separate marks.
struct StripAccentsNormalizer: Normalizer {
    private let normalization = NormalizationTables.shared

    func normalize(_ text: inout NormalizedText) {
        guard text.scalars.contains(where: { $0 >= 0x300 && normalization.flags($0).contains(.combiningMark) }) else {
            return
        }
        var result = NormalizedText(capacity: text.count)
        for (scalar, origin) in zip(text.scalars, text.origins)
        where scalar < 0x300 || !normalization.flags(scalar).contains(.combiningMark) {
            result.append(scalar, origin: origin)
        }
        text = result
    }
}
