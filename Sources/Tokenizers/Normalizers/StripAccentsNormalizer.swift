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
