/// An entry of tokenizer.json's `added_tokens`: matched in the text before the model sees it.
struct AddedToken: Sendable, Equatable {
    /// The id the token encodes to.
    var id: Int32
    /// The exact text that is matched.
    var content: String
    /// Match only when not preceded or followed by a word character (regex `\w`).
    var singleWord = false
    /// Also consume the whitespace on the left of a match.
    var lstrip = false
    /// Also consume the whitespace on the right of a match.
    var rstrip = false
    /// Match in normalized text (against the normalized content) rather than in the raw input.
    var normalized = true
    /// A special token such as `[CLS]`; informational here.
    var special = false
}
