import Foundation
import Hummingbird
import InferenceCore
import NIOCore
import Serving

/// OpenAI's embeddings API: `POST /v1/embeddings` (also `POST /embeddings`, where TEI and Infinity serve
/// it), `GET /v1/models` and `GET /v1/models/{id}`.
struct OpenAIRoutes {
    let registry: ModelRegistry
    let configuration: ServerConfiguration
    let preamble: RequestPreamble
    let startedAt = Int(Date().timeIntervalSince1970)

    func register(on router: Router<TernRequestContext>) {
        let group = router.group("v1")
        group.post("embeddings") { request, context in try await embeddings(request, context: context) }
        group.get("models") { _, _ in models() }
        group.get("models/:id") { _, context in try model(context.parameters.require("id")) }
        router.post("embeddings") { request, context in try await embeddings(request, context: context) }
    }

    private func embeddings(_ request: Request, context: TernRequestContext) async throws -> Response {
        let (body, deadline) = try await preamble.read(request)
        let parsed = try OpenAIBody.decode(EmbeddingsRequest.self, from: body)
        let choice = try ModelChoice.resolve(
            parsed.model, for: .embeddings, in: registry, context: context,
            noModel: {
                let fallback = try registry.defaultHost
                return OpenAIError.wrongTask(fallback.modelID, task: fallback.task)
            })
        let host = choice.host
        guard case .embeddings(let pipeline) = try host.requirePipeline() else {
            throw OpenAIError.wrongTask(host.modelID, task: host.task)
        }
        try preamble.checkCount(parsed.input.count, field: "input")
        try preamble.checkLength(parsed.input, field: "input")
        let result = try await ClientDisconnect.shared.run(on: context.channel) {
            try await pipeline.embed(
                parsed.input, dimensions: parsed.dimensions, promptName: parsed.promptName, deadline: deadline)
        }
        context.report.add(result.timings)
        let buffer = EmbeddingsResponseWriter.write(
            result,
            model: parsed.model ?? host.modelID,
            format: parsed.encodingFormat,
            allocator: ByteBufferAllocator()
        )
        return JSONBody.response(.ok, buffer: buffer, headers: choice.headers)
    }

    /// `GET /v1/models/{id}`: one served model (openai's `models.retrieve`).
    private func model(_ id: String) throws -> Response {
        guard let host = registry.host(named: id) else { throw OpenAIError.modelNotFound(id) }
        var buffer = ByteBuffer()
        write(host, to: &buffer)
        return JSONBody.response(.ok, buffer: buffer)
    }

    private func write(_ host: ModelHost, to buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"id":"#)
        JSONString.write(host.modelID, to: &buffer)
        buffer.writeString(#","object":"model","created":\#(startedAt),"owned_by":"tern"}"#)
    }

    private func models() -> Response {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"object":"list","data":["#)
        for (index, host) in registry.hosts.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            write(host, to: &buffer)
        }
        buffer.writeStaticString("]}")
        return JSONBody.response(.ok, buffer: buffer)
    }
}
