/// One model of the repository index, as `POST /v2/repository/index` lists it.
public struct RepositoryEntry: Sendable, Hashable {
    /// Where a model is in its life.
    public enum State: String, Sendable {
        case ready = "READY"
        case unavailable = "UNAVAILABLE"
        case loading = "LOADING"
        case unloading = "UNLOADING"
    }

    /// The model's name.
    public var name: String
    /// The version loaded (or being loaded); `nil` when none is.
    public var version: String?
    /// Where the model is in its life.
    public var state: State
    /// Why it is unavailable ("unloaded", or the load error); empty otherwise.
    public var reason: String

    public init(name: String, version: String?, state: State, reason: String = "") {
        self.name = name
        self.version = version
        self.state = state
        self.reason = reason
    }
}
