/// Why a model named in a request cannot serve it.
public struct ModelLookupError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure, for status mapping.
    public enum Kind: Sendable {
        /// No such model or version (404).
        case notFound
        /// The model exists but is loading, unloading or failed to load (503).
        case notReady
    }

    public let kind: Kind
    /// Human-readable reason, naming the model.
    public let message: String

    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
