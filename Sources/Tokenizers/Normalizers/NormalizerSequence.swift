/// `Sequence` normalizer: applies its normalizers in order.
struct NormalizerSequence: Normalizer {
    let normalizers: [any Normalizer]

    func normalize(_ text: inout NormalizedText) {
        for normalizer in normalizers {
            normalizer.normalize(&text)
        }
    }
}
