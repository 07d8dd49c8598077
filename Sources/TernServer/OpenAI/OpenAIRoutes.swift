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
        let images = ImageRoutes(registry: registry, preamble: preamble)
        if images.servesEmbeddings(for: parsed.model) {
            let strings = try parsed.input.map { input throws(ServingFailure) -> String in
                guard case .text(let text) = input else {
                    throw ServingFailure(
                        .invalid, "an image encoder takes images as base64 strings or data URIs, not token ids",
                        parameter: "input", code: "invalid_type")
                }
                return text
            }
            let answer = try await images.embed(strings, field: "input", model: parsed.model, deadline: deadline, context)
            let result = EmbeddingResult(embeddings: answer.vectors, promptTokens: 0, timings: answer.timings)
            return JSONBody.response(
                .ok,
                buffer: EmbeddingsResponseWriter.write(
                    result, model: parsed.model ?? answer.model, format: parsed.encodingFormat,
                    allocator: ByteBufferAllocator()))
        }
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
        guard registry.host(named: id) != nil || registry.imagePipelineExists(named: id) else {
            throw OpenAIError.modelNotFound(id)
        }
        var buffer = ByteBuffer()
        write(id, to: &buffer)
        return JSONBody.response(.ok, buffer: buffer)
    }

    private func write(_ id: String, to buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"id":"#)
        JSONString.write(id, to: &buffer)
        buffer.writeString(#","object":"model","created":\#(startedAt),"owned_by":"tern"}"#)
    }

    /// The text models, then the image models.
    private func models() -> Response {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"object":"list","data":["#)
        let ids = registry.hosts.map(\.modelID) + registry.imageHosts.map(\.modelID)
        for (index, id) in ids.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            write(id, to: &buffer)
        }
        buffer.writeStaticString("]}")
        return JSONBody.response(.ok, buffer: buffer)
    }
}
