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
