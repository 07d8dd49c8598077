import Foundation
import InferenceCore
import Logging

extension ModelRegistry {
    /// Every model of the repository and every model served, with its state, sorted by name.
    public func repositoryIndex() -> [RepositoryEntry] {
        let names = Set(source?.repository.modelNames() ?? [])
        return state.withLock { state in
            names.union(state.models.keys).union(state.failures.keys).sorted().map { name in
                if let transition = state.transitions[name] {
                    return RepositoryEntry(name: name, version: state.models[name]?.version, state: transition)
                }
                if let model = state.models[name] {
                    return RepositoryEntry(
                        name: name, version: model.version, state: model.isReady ? .ready : .loading)
                }
                return RepositoryEntry(
                    name: name, version: nil, state: .unavailable, reason: state.failures[name] ?? "not loaded")
            }
        }
    }

    /// Loads `name` from the repository, or reloads it (picking up a new version) when it is loaded: the
    /// new model is loaded beside the old, swapped in, then the old one drains.
    public func load(_ name: String) async throws(RepositoryError) {
        let source = try requireSource(name)
        try claim(name, for: .loading)
        let clock = ContinuousClock()
        let start = clock.now
        let loaded: ServedModel
        do {
            loaded = try await LoadThread.run { try source.factory.model(named: name, in: source.repository) }
        } catch {
            let reason = "\(error)"
            state.withLock { state in
                state.transitions[name] = nil
                if state.models[name] == nil { state.failures[name] = reason }
            }
            logger.error("model failed to load", metadata: ["model": "\(name)", "error": "\(reason)"])
            throw RepositoryError(.loadFailed, message: "failed to load model '\(name)': \(reason)")
        }
        let (old, accepted) = state.withLock { state -> (ServedModel?, Bool) in
            state.transitions[name] = nil
            guard !state.shuttingDown else { return (nil, false) }
            let old = state.models[name]
            if old == nil { state.order.append(name) }
            state.models[name] = loaded
            state.failures[name] = nil
            return (old, true)
        }
        guard accepted else {
            await loaded.stopUnstarted()
            throw RepositoryError(.unavailable, message: "the server is shutting down")
        }
        newJobs.yield(loaded)
        if case .raw(let host) = loaded {
            ExecutionProviderGauge.record(model: name, provider: host.pipeline.executionProvider)
        }
        logger.info(
            "model loaded",
            metadata: [
                "model": "\(name)", "version": "\(loaded.version ?? "")",
                "seconds": "\(String(format: "%.3f", Self.seconds(clock.now - start)))",
            ])
        if let old { await old.stop() }
    }

    /// Stops `name` taking requests (they get 503), waits for those in flight, then frees it; the index
    /// then lists it as unavailable, "unloaded".
    public func unload(_ name: String) async throws(RepositoryError) {
        guard ModelRepository.isValidName(name) else {
            throw RepositoryError(.invalidName, message: "'\(name)' is not a valid model name ([A-Za-z0-9_.-]+)")
        }
        try claim(name, for: .unloading)
        guard let model = state.withLock({ $0.models[name] }) else {
            let known = source?.repository.contains(name) ?? false
            state.withLock { state in
                state.transitions[name] = nil
                if known { state.failures[name] = "unloaded" }
            }
            if known { return }
            throw RepositoryError(.notFound, message: "unknown model: '\(name)'")
        }
        await model.stop()
        state.withLock { state in
            state.transitions[name] = nil
            state.models[name] = nil
            state.order.removeAll { $0 == name }
            state.failures[name] = "unloaded"
        }
        logger.info("model unloaded", metadata: ["model": "\(name)"])
    }

    /// Loads every model of the repository once, at start; a model that fails is logged and listed as
    /// unavailable, and the others are served.
    func loadRepository() async {
        for name in source?.repository.modelNames() ?? [] where !Task.isCancelled {
            do { try await load(name) } catch {
                // Logged by `load`; the index carries the reason.
            }
        }
        state.withLock { $0.started = true }
    }

    private func requireSource(_ name: String) throws(RepositoryError) -> RepositorySource {
        guard let source else {
            throw RepositoryError(
                .noRepository,
                message: "the server was started without --model-repository: models cannot be loaded or unloaded")
        }
        guard ModelRepository.isValidName(name) else {
            throw RepositoryError(.invalidName, message: "'\(name)' is not a valid model name ([A-Za-z0-9_.-]+)")
        }
        guard source.repository.contains(name) else {
            throw RepositoryError(.notFound, message: "no model '\(name)' in the repository")
        }
        let servedByModelOption = state.withLock { $0.models[name]?.isCommandLineModel ?? false }
        if servedByModelOption {
            throw RepositoryError(
                .unavailable, message: "model '\(name)' is served from --model; rename one of the two")
        }
        return source
    }

    /// Marks `name` as loading or unloading; one transition at a time per model.
    private func claim(_ name: String, for transition: RepositoryEntry.State) throws(RepositoryError) {
        let refusal = state.withLock { state -> String? in
            if state.shuttingDown { return "the server is shutting down" }
            if let current = state.transitions[name] {
                return "model '\(name)' is already \(current == .loading ? "loading" : "unloading")"
            }
            state.transitions[name] = transition
            return nil
        }
        if let refusal { throw RepositoryError(.unavailable, message: refusal) }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
