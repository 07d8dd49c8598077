/// Why a repository call (load, unload) failed.
public struct RepositoryError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure, for status mapping.
    public enum Kind: Sendable {
        /// No such model in the repository (404).
        case notFound
        /// The name is not a valid model name (400).
        case invalidName
        /// The model could not be loaded; `message` carries the reason (400).
        case loadFailed
        /// The server was started without a repository: a request it can never serve (400, as Triton
        /// answers explicit loads when its model control mode does not allow them).
        case noRepository
        /// The server is stopping, or the name is taken by a `--model` text model (503).
        case unavailable
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
