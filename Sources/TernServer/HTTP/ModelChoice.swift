import HTTPTypes
import Hummingbird
import Serving

/// A route's model, found from the name a request gives (`ModelRegistry.resolve`), with the header that
/// says when the request went to another model than the one it named.
struct ModelChoice {
    /// Set when the request named a model that is not served and went to the only one that fits.
    static let routedHeader = HTTPField.Name("x-tern-routed-model")!

    let host: ModelHost
    let headers: HTTPFields

    /// - Parameter noModel: the error when no model has the task.
    /// - Throws: 404 `model_not_found` for a name that is not served when no single model fits.
    static func resolve(
        _ name: String?, for kind: ModelRegistry.TaskKind, in registry: ModelRegistry, context: TernRequestContext,
        noModel: () throws -> any Error
    ) throws -> ModelChoice {
        switch registry.resolve(name, for: kind) {
        case .served(let host):
            context.report.label(model: host.modelID)
            return ModelChoice(host: host, headers: [:])
        case .routed(let host, let requested):
            context.report.label(model: host.modelID)
            context.logger.notice(
                "model not served; routed to the only one that fits",
                metadata: ["requested_model": "\(requested)", "model": "\(host.modelID)"])
            return ModelChoice(host: host, headers: [routedHeader: host.modelID])
        case .unknown(let name):
            throw ServingFailure(
                .notFound, "the model '\(name)' is not served here", parameter: "model", code: "model_not_found")
        case .noModel:
            throw try noModel()
        }
    }
}
