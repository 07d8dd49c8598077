import InferenceCore
import Logging
import ServiceLifecycle
import Synchronization

/// The models one process serves: the `--model` text models, in the order given (the first of a task is
/// that task's default), and the models of a `--model-repository`, which can be loaded and unloaded while
/// the server runs.
///
/// A `Service` that runs every host side by side, so a graceful shutdown reaches all models at the same
/// moment (a `ServiceGroup` would stop them one after another, leaving the others accepting work).
public final class ModelRegistry: Service, Sendable {
    struct State {
        /// Served model names, in the order they were added.
        var order: [String] = []
        var models: [String: ServedModel] = [:]
        /// Models being loaded or unloaded now.
        var transitions: [String: RepositoryEntry.State] = [:]
        /// Why a model is unavailable: "unloaded", or its load error.
        var failures: [String: String] = [:]
        /// Whether the repository's models have been loaded once (always true without a repository).
        var started = false
        var shuttingDown = false
    }

    let state: Mutex<State>
    let source: RepositorySource?
    let logger: Logger
    private let jobs: AsyncStream<ServedModel>
    let newJobs: AsyncStream<ServedModel>.Continuation

    /// - Parameters:
    ///   - hosts: the `--model` text models.
    ///   - images: the `--model` image models.
    ///   - repository: where `load` finds models; every model in it is loaded when the registry starts.
    ///   - logger: receives load and unload times.
    public init(
        _ hosts: [ModelHost], images: [ImageModelHost] = [], repository: RepositorySource? = nil,
        logger: Logger = Logger(label: "tern")
    ) {
        precondition(
            !hosts.isEmpty || !images.isEmpty || repository != nil, "a server hosts at least one model or a repository")
        var initial = State()
        for host in hosts where initial.models[host.modelID] == nil {
            initial.order.append(host.modelID)
            initial.models[host.modelID] = .text(host, version: nil)
        }
        for host in images where initial.models[host.modelID] == nil {
            initial.order.append(host.modelID)
            initial.models[host.modelID] = .image(host, version: nil)
        }
        initial.started = repository == nil
        self.state = Mutex(initial)
        self.source = repository
        self.logger = logger
        (jobs, newJobs) = AsyncStream.makeStream(of: ServedModel.self)
        for name in initial.order {
            if let model = initial.models[name] { newJobs.yield(model) }
        }
    }

    /// The text models, in order.
    public var hosts: [ModelHost] {
        state.withLock { state in
            state.order.compactMap { name in
                if case .text(let host, _) = state.models[name] { return host }
                return nil
            }
        }
    }

    /// The image models, in order.
    public var imageHosts: [ImageModelHost] {
        state.withLock { state in
            state.order.compactMap { name in
                if case .image(let host, _) = state.models[name] { return host }
                return nil
            }
        }
    }

    /// Whether `name` is an image model served here (loaded or not yet ready).
    public func imagePipelineExists(named name: String) -> Bool {
        state.withLock { state in
            if case .image = state.models[name] { return true }
            return false
        }
    }

    /// The image model a request names, or the only image model when it names none.
    /// - Throws: `ModelLookupError` (`.notFound` for an unknown name or a model of another kind; `.notReady`
    ///   while a repository model loads); `HostUnavailable` while the model loads or drains.
    public func imagePipeline(named name: String?) throws -> ImagePipeline {
        let (model, transition, images) = state.withLock { state in
            (name.flatMap { state.models[$0] }, name.flatMap { state.transitions[$0] },
             state.order.compactMap { name -> ImageModelHost? in
                if case .image(let host, _) = state.models[name] { return host }
                return nil
             })
        }
        let host: ImageModelHost
        if let name {
            switch model {
            case .image(let found, _)?: host = found
            case nil where transition == .loading:
                throw ModelLookupError(.notReady, message: "model '\(name)' is loading")
            case nil: throw ModelLookupError(.notFound, message: "unknown model: '\(name)'")
            default: throw ModelLookupError(.notFound, message: "model '\(name)' is not an image model")
            }
            if transition == .unloading { throw ModelLookupError(.notReady, message: "model '\(name)' is unloading") }
        } else {
            guard images.count == 1 else {
                throw ModelLookupError(
                    .notFound,
                    message: images.isEmpty
                        ? "no image model is served here"
                        : "several image models are served (\(images.map(\.modelID).joined(separator: ", "))): "
                            + "POST /models/{name}/predict")
            }
            host = images[0]
        }
        return try host.requirePipeline()
    }

    /// The text model named `id`.
    public func host(named id: String) -> ModelHost? {
        state.withLock { state in
            if case .text(let host, _) = state.models[id] { return host }
            return nil
        }
    }

    /// The first text model whose task is `task` (any classifier for `.classify`).
    public func firstHost(for kind: TaskKind) -> ModelHost? {
        hosts.first { kind.matches($0.task) }
    }

    /// How a request's model name found a text model.
    public enum Resolution: Sendable {
        /// The name given, or the task's first model when none was given.
        case served(ModelHost)
        /// The name is not served, but exactly one model fits the task: the request goes there (clients
        /// send their cloud model's name: llama-index `text-embedding-ada-002`, haystack
        /// `text-embedding-3-small`).
        case routed(ModelHost, requested: String)
        /// The name is not served and no single model fits the task.
        case unknown(String)
        /// No name, and no model has the task.
        case noModel
    }

    /// The model a request for `kind` that names `name` goes to.
    public func resolve(_ name: String?, for kind: TaskKind) -> Resolution {
        let all = hosts
        if let name, let host = all.first(where: { $0.modelID == name }) { return .served(host) }
        let fitting = all.filter { kind.matches($0.task) }
        guard let name else { return fitting.first.map(Resolution.served) ?? .noModel }
        if fitting.count == 1 { return .routed(fitting[0], requested: name) }
        // A one-model server serves it whatever the name, so the route's task check can say what it serves.
        if all.count == 1 { return .routed(all[0], requested: name) }
        return .unknown(name)
    }

    /// The first text model.
    public var defaultHost: ModelHost {
        get throws(ModelLookupError) {
            guard let host = hosts.first else {
                throw ModelLookupError(.notFound, message: "no text model is served here")
            }
            return host
        }
    }

    /// The raw-tensor model `name` at `version` (the served version when `nil`).
    public func rawPipeline(named name: String, version: String?) throws(ModelLookupError) -> RawPipeline {
        guard case .raw(let pipeline) = try tensorModel(named: name, version: version) else {
            throw ModelLookupError(.notFound, message: "model '\(name)' is an image model, not a raw-tensor model")
        }
        return pipeline
    }

    /// The model `name` as KServe v2 serves it, at `version` (the served version when `nil`; an image model from
    /// `--model` is version 1).
    public func tensorModel(named name: String, version: String?) throws(ModelLookupError) -> TensorModel {
        let (model, transition, failure) = state.withLock { ($0.models[name], $0.transitions[name], $0.failures[name]) }
        guard let model else {
            if transition == .loading {
                throw ModelLookupError(.notReady, message: "model '\(name)' is loading")
            }
            if let failure, failure != "unloaded" {
                throw ModelLookupError(.notReady, message: "model '\(name)' is not ready: \(failure)")
            }
            throw ModelLookupError(.notFound, message: "unknown model: '\(name)'")
        }
        let found: TensorModel
        let accepting: Bool
        switch model {
        case .text(let host, let served):
            guard let pipeline = host.readyPipeline else {
                throw ModelLookupError(.notReady, message: "model '\(name)' is not ready")
            }
            found = .text(pipeline, version: served ?? "1")
            accepting = true
        case .raw(let host):
            found = .raw(host.pipeline)
            accepting = host.isAccepting
        case .image(let host, let served):
            guard let pipeline = host.readyPipeline else {
                throw ModelLookupError(.notReady, message: "model '\(name)' is not ready")
            }
            found = .image(pipeline, version: served ?? "1")
            accepting = true
        }
        if let version, version != found.version {
            throw ModelLookupError(
                .notFound, message: "unknown version '\(version)' of model '\(name)' (version \(found.version) is loaded)")
        }
        guard accepting, transition != .unloading else {
            throw ModelLookupError(.notReady, message: "model '\(name)' is unloading")
        }
        return found
    }

    /// Whether every served model is ready and the repository's first load is done (`/v2/health/ready`).
    public var isReady: Bool {
        state.withLock { state in
            state.started && !state.shuttingDown && state.models.values.allSatisfy(\.isReady)
        }
    }

    /// Loads, serves and drains every model; returns when all have drained, throws when a `--model` fails.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            if source != nil {
                group.addTask { await self.loadRepository() }
            }
            await withGracefulShutdownHandler {
                for await model in jobs {
                    group.addTask {
                        do { try await model.run() } catch {
                            // The group throws once this returns; end the loop so it can.
                            self.newJobs.finish()
                            throw error
                        }
                    }
                }
            } onGracefulShutdown: {
                self.state.withLock { $0.shuttingDown = true }
                self.newJobs.finish()
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
