/// Normalized text and the words it has been split into so far.
struct PreTokenizedText: Sendable {
    /// The text; a pre-tokenizer that rewrites characters replaces it and remaps `words`.
    var text: NormalizedText
    /// Word ranges in `text.scalars`, in order, non-overlapping.
    var words: [Range<Int>]
}
