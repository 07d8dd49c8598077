import InferenceCore
import ServiceLifecycle

/// The models one process serves, in the order they were given; the first of a task is that task's
/// default.
///
/// A `Service` that runs every host side by side, so a graceful shutdown reaches all models at the same
/// moment (a `ServiceGroup` would stop them one after another, leaving the others accepting work).
public struct ModelRegistry: Service {
    public let hosts: [ModelHost]

    public init(_ hosts: [ModelHost]) {
        precondition(!hosts.isEmpty, "a server hosts at least one model")
        self.hosts = hosts
    }

    /// The model named `id`.
    public func host(named id: String) -> ModelHost? {
        hosts.first { $0.modelID == id }
    }

    /// The first model whose task is `task` (any classifier for `.classify`).
    public func firstHost(for kind: TaskKind) -> ModelHost? {
        hosts.first { kind.matches($0.task) }
    }

    /// The first model.
    public var defaultHost: ModelHost { hosts[0] }

    /// The raw-tensor model `name` at `version` (the served version when `nil`).
    public func rawPipeline(named name: String, version: String?) throws(ModelLookupError) -> RawPipeline {
        throw ModelLookupError(.notFound, message: "unknown model: '\(name)'")
    }

    /// Every model of the repository and every model loaded, with its state.
    public func repositoryIndex() -> [RepositoryEntry] { [] }

    /// Loads `name` from the repository, or reloads it (picking up a new version) when it is loaded.
    public func load(_ name: String) async throws(RepositoryError) {
        throw RepositoryError(.unavailable, message: "the repository API is not implemented yet")
    }

    /// Stops `name` taking requests, waits for those in flight, then frees it.
    public func unload(_ name: String) async throws(RepositoryError) {
        throw RepositoryError(.unavailable, message: "the repository API is not implemented yet")
    }

    /// Whether every loaded model is ready (`/v2/health/ready`).
    public var isReady: Bool { hosts.allSatisfy { $0.readyPipeline != nil } }

    /// Loads, serves and drains every model; returns when all have drained, throws when one fails.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for host in hosts {
                group.addTask { try await host.run() }
            }
        }
    }

    /// A route's need, matched against model tasks.
    public enum TaskKind: Sendable {
        case embeddings, rerank, classify

        func matches(_ task: ModelTask) -> Bool {
            switch (self, task) {
            case (.embeddings, .embeddings), (.rerank, .rerank), (.classify, .classify): true
            default: false
            }
        }
    }
}
