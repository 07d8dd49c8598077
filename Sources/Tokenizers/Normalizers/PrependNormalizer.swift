/// `Prepend` normalizer: puts a string before non-empty text; it takes the origin of the first scalar.
struct PrependNormalizer: Normalizer {
    let prefix: [UInt32]

    func normalize(_ text: inout NormalizedText) {
        guard let first = text.origins.first, !prefix.isEmpty else { return }
        text.scalars.insert(contentsOf: prefix, at: 0)
        text.origins.insert(contentsOf: repeatElement(first, count: prefix.count), at: 0)
    }
}
