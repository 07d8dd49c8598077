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
