/// The first stage of the pipeline: rewrites text before it is split into words (`normalizer` in tokenizer.json).
protocol Normalizer: Sendable {
    /// Rewrites `text` in place, keeping `origins` aligned with `scalars`.
    func normalize(_ text: inout NormalizedText)
}
