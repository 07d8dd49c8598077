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
