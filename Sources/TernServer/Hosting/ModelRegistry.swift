import InferenceCore

/// The models one process serves, in the order they were given; the first of a task is that task's
/// default.
public struct ModelRegistry: Sendable {
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
