import Foundation
import Hummingbird
import InferenceCore
import NIOCore

/// OpenAI's embeddings API: `POST /v1/embeddings` and `GET /v1/models`.
struct OpenAIRoutes {
    let host: ModelHost
    let modelID: String
    let configuration: ServerConfiguration
    let startedAt = Int(Date().timeIntervalSince1970)

    func register(on router: Router<TernRequestContext>) {
        let group = router.group("v1")
        group.post("embeddings") { request, context in try await embeddings(request, context: context) }
        group.get("models") { _, _ in models() }
    }

    private func embeddings(_ request: Request, context: TernRequestContext) async throws -> Response {
        let pipeline = try host.requirePipeline()
        let deadline = try RequestDeadline.deadline(for: request, default: configuration.requestTimeout)
        let body = try await RequestBodyReader.collect(request, limit: configuration.maxBodySize)
        let parsed = try EmbeddingsRequest.decode(from: body)
        if parsed.input.count > configuration.maxInputs {
            throw OpenAIError.tooManyInputs(parsed.input.count, limit: configuration.maxInputs)
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
            model: parsed.model ?? modelID,
            format: parsed.encodingFormat,
            allocator: ByteBufferAllocator()
        )
        return JSONBody.response(.ok, buffer: buffer)
    }

    private func models() -> Response {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"object":"list","data":[{"id":"#)
        JSONString.write(modelID, to: &buffer)
        buffer.writeString(#","object":"model","created":\#(startedAt),"owned_by":"tern"}]}"#)
        return JSONBody.response(.ok, buffer: buffer)
    }
}
