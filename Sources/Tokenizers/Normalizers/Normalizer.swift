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
