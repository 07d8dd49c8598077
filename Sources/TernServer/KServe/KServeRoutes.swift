import Hummingbird
import InferenceCore
import Serving

/// The KServe v2 / Open Inference Protocol routes under `/v2`, as Triton serves them: server and model
/// metadata and health, inference (JSON and binary tensor data), the model repository and statistics.
/// Every error is `{"error": "..."}` with Triton's status.
struct KServeRoutes {
    let registry: ModelRegistry
    let configuration: ServerConfiguration

    /// The protocol extensions `GET /v2` advertises.
    static let extensions = ["binary_tensor_data", "model_repository", "statistics"]

    func register(on router: Router<TernRequestContext>) {
        let v2 = router.group("v2").add(middleware: KServeErrorMiddleware())
        v2.get { _, _ in serverMetadata() }
        v2.get("health/live") { _, _ in Response(status: .ok) }
        v2.get("health/ready") { _, _ in Response(status: registry.isReady ? .ok : .serviceUnavailable) }
        v2.get("models/stats") { _, _ in try statistics(model: nil, version: nil) }
        for path in ["models/:model", "models/:model/versions/:version"] {
            let model = v2.group(RouterPath(path))
            model.get { _, context in try metadata(context) }
            model.get("ready") { _, context in try ready(context) }
            model.get("config") { _, context in try modelConfig(context) }
            model.get("stats") { _, context in
                try statistics(model: context.parameters.get("model"), version: context.parameters.get("version"))
            }
            model.post("infer") { request, context in try await infer(request, context) }
        }
        v2.post("repository/index") { request, _ in try await repositoryIndex(request) }
        v2.post("repository/models/:model/load") { request, context in try await load(request, context) }
        v2.post("repository/models/:model/unload") { request, context in try await unload(request, context) }
        // Anything else under /v2 is an unknown route (or a known one under another method: 405), in the v2 shape.
        for method in [HTTPRequest.Method.get, .post] {
            v2.on("**", method: method) { request, _ -> Response in
                if let refused = MethodNotAllowed.response(for: request) { return refused }
                throw unknownRoute(request)
            }
        }
    }

    /// The model a route names, at the version it names (the served one when it names none).
    func pipeline(_ context: TernRequestContext) throws -> TensorModel {
        let name = try context.parameters.require("model")
        // The route's own model labels its metrics and log line, found or not (never a text model's name).
        context.report.label(model: name)
        return try registry.tensorModel(named: name, version: context.parameters.get("version"))
    }

    private func unknownRoute(_ request: Request) -> KServeError {
        KServeError(.notFound, "no v2 route for \(request.method) \(request.uri.path)")
    }

    private func serverMetadata() -> Response {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"name":"tern","version":"#)
        JSONString.write(TernVersion.current, to: &buffer)
        buffer.writeStaticString(#","extensions":["#)
        for (index, name) in Self.extensions.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            JSONString.write(name, to: &buffer)
        }
        buffer.writeStaticString("]}")
        return JSONBody.response(.ok, buffer: buffer)
    }
}
