/// How to shorten encodings that exceed a token budget.
///
/// `maxLength` counts the special tokens the post-processor adds, as Hugging Face `tokenizers` does.
public struct Truncation: Sendable, Hashable {
    /// Which end of a sequence loses tokens.
    public enum Direction: Sendable {
        /// Keep the beginning, drop tokens from the end.
        case right
        /// Keep the end, drop tokens from the beginning.
        case left
    }

    /// Which sequence of a pair loses tokens.
    public enum Strategy: Sendable {
        /// Shorten the longer sequence first, then both in turn.
        case longestFirst
        /// Shorten only the first sequence.
        case onlyFirst
        /// Shorten only the second sequence.
        case onlySecond
    }

    /// The largest number of tokens in the result, special tokens included.
    public var maxLength: Int
    /// Which end of a sequence loses tokens.
    public var direction: Direction = .right
    /// Which sequence of a pair loses tokens.
    public var strategy: Strategy = .longestFirst

    /// Creates truncation settings.
    /// - Parameters:
    ///   - maxLength: The largest number of tokens in the result, special tokens included.
    ///   - direction: Which end of a sequence loses tokens.
    ///   - strategy: Which sequence of a pair loses tokens.
    public init(maxLength: Int, direction: Direction = .right, strategy: Strategy = .longestFirst) {
        self.maxLength = maxLength
        self.direction = direction
        self.strategy = strategy
    }
}
