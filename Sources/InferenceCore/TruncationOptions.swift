import Tokenizers

/// How one request wants over-long inputs handled.
public struct TruncationOptions: Sendable, Hashable {
    /// Cut inputs over the maximum length (true), refuse them (false), or do what the server is
    /// configured to do (nil).
    public var truncate: Bool?
    /// Which end to cut.
    public var direction: Truncation.Direction

    public init(truncate: Bool? = nil, direction: Truncation.Direction = .right) {
        self.truncate = truncate
        self.direction = direction
    }
}
