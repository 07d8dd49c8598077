/// The syntax tree of a tokenizer.json regex.
indirect enum RegexNode: Sendable {
    case set(ScalarSet)
    case sequence([RegexNode])
    case alternation([RegexNode])
    /// `max` nil means unbounded.
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)
    case lookahead(RegexNode, negative: Bool)
    case anchor(Anchor)

    /// Zero-width position tests.
    enum Anchor: Sendable {
        /// `^`: start of text or after a newline (Oniguruma's Ruby syntax is multi-line).
        case lineStart
        /// `$`: end of text or before a newline.
        case lineEnd
        /// `\A`.
        case textStart
        /// `\z`.
        case textEnd
    }
}
