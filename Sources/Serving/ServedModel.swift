import InferenceCore

/// A model the registry serves: a text pipeline behind the OpenAI/TEI/Cohere routes, an image pipeline behind
/// `/predict` and the embedding routes, or a raw-tensor model behind KServe v2.
enum ServedModel: Sendable {
    case text(ModelHost, version: String?)
    case image(ImageModelHost, version: String?)
    case raw(RawModelHost)

    /// The version loaded, when the model came from a repository.
    var version: String? {
        switch self {
        case .text(_, let version), .image(_, let version): version
        case .raw(let host): host.pipeline.version
        }
    }

    /// Whether it takes requests now.
    var isReady: Bool {
        switch self {
        case .text(let host, _): host.readyPipeline != nil
        case .image(let host, _): host.readyPipeline != nil
        case .raw(let host): host.isAccepting
        }
    }

    /// Whether it came from `--model` (not from the repository).
    var isCommandLineModel: Bool {
        switch self {
        case .text(_, nil), .image(_, nil): true
        default: false
        }
    }

    /// Serves until stopped or shut down.
    func run() async throws {
        switch self {
        case .text(let host, _): try await host.run()
        case .image(let host, _): try await host.run()
        case .raw(let host): await host.run()
        }
    }

    /// Stops taking requests, answers those in flight, frees the model.
    func stop() async {
        switch self {
        case .text(let host, _): await host.stop()
        case .image(let host, _): await host.stop()
        case .raw(let host): await host.stop()
        }
    }
}

extension ServedModel {
    /// Frees a model that was loaded but never started (the server began shutting down meanwhile).
    func stopUnstarted() async {
        switch self {
        case .text, .image: break
        case .raw(let host): try? await host.pipeline.shutdown()
        }
    }
}
