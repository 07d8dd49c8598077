import Foundation
import Hummingbird
import InferenceCore
import NIOCore

/// OpenAI's embeddings API: `POST /v1/embeddings` and `GET /v1/models`.
struct OpenAIRoutes {
    let registry: ModelRegistry
    let configuration: ServerConfiguration
    let startedAt = Int(Date().timeIntervalSince1970)

    func register(on router: Router<TernRequestContext>) {
        let group = router.group("v1")
        group.post("embeddings") { request, context in try await embeddings(request, context: context) }
        group.get("models") { _, _ in models() }
    }

    private func embeddings(_ request: Request, context: TernRequestContext) async throws -> Response {
        let deadline = try RequestDeadline.deadline(for: request, default: configuration.requestTimeout)
        let body = try await RequestBodyReader.collect(request, limit: configuration.maxBodySize)
        let parsed = try OpenAIBody.decode(EmbeddingsRequest.self, from: body)
        let host = try embeddingsHost(named: parsed.model)
        guard case .embeddings(let pipeline) = try host.requirePipeline() else {
            throw OpenAIError.wrongTask(host.modelID, task: host.task)
        }
        if parsed.input.count > configuration.maxInputs {
            throw OpenAIError.tooManyInputs(parsed.input.count, limit: configuration.maxInputs)
        }
        let lengthLimit = InputLengthLimit(limit: configuration.maxInputChars)
        if let violation = lengthLimit.firstViolation(parsed.input) {
            throw OpenAIError.inputTooLong(lengthLimit.message(violation, field: "input"))
        }
        let result: EmbeddingResult
        do {
            result = try await ClientDisconnect.shared.run(on: context.channel) {
                try await pipeline.embed(parsed.input, dimensions: parsed.dimensions, deadline: deadline)
            }
        } catch let error as InferenceError {
            throw OpenAIError(error)
        }
        let buffer = EmbeddingsResponseWriter.write(
            result,
            model: parsed.model ?? host.modelID,
            format: parsed.encodingFormat,
            allocator: ByteBufferAllocator()
        )
        return JSONBody.response(.ok, buffer: buffer)
    }

    /// The model a request names; a server with a single model serves it whatever name the client uses
    /// (clients often send their cloud model's name).
    private func embeddingsHost(named name: String?) throws -> ModelHost {
        if let name, let host = registry.host(named: name) { return host }
        if name == nil || registry.hosts.count == 1 {
            if let host = registry.firstHost(for: .embeddings) { return host }
            let fallback = try registry.defaultHost
            throw OpenAIError.wrongTask(fallback.modelID, task: fallback.task)
        }
        throw OpenAIError.modelNotFound(name ?? "")
    }

    private func models() -> Response {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"object":"list","data":["#)
        for (index, host) in registry.hosts.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString(#"{"id":"#)
            JSONString.write(host.modelID, to: &buffer)
            buffer.writeString(#","object":"model","created":\#(startedAt),"owned_by":"tern"}"#)
        }
        buffer.writeStaticString("]}")
        return JSONBody.response(.ok, buffer: buffer)
    }
}
