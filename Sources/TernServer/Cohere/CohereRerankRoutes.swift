import Foundation
import Hummingbird
import InferenceCore

/// `POST /v1/rerank` in Cohere's and Jina's shape (errors in OpenAI's shape, like every `/v1` route).
struct CohereRerankRoutes {
    let registry: ModelRegistry
    let configuration: ServerConfiguration

    func register(on router: Router<TernRequestContext>) {
        router.post("v1/rerank") { request, context in try await rerank(request, context) }
    }

    private func rerank(_ request: Request, _ context: TernRequestContext) async throws -> Response {
        let deadline = try RequestDeadline.deadline(for: request, default: configuration.requestTimeout)
        let body = try await RequestBodyReader.collect(request, limit: configuration.maxBodySize)
        let parsed = try OpenAIBody.decode(CohereRerankRequest.self, from: body)
        if parsed.documents.count > configuration.maxInputs {
            throw OpenAIError.tooManyInputs(parsed.documents.count, limit: configuration.maxInputs)
        }
        let lengthLimit = InputLengthLimit(limit: configuration.maxInputChars)
        if let violation = lengthLimit.firstViolation([parsed.query] + parsed.documents) {
            let message = violation.index == 0
                ? "query has \(violation.length) characters, more than the limit of \(lengthLimit.limit)"
                : lengthLimit.message(.init(index: violation.index - 1, length: violation.length), field: "documents")
            throw OpenAIError.inputTooLong(message)
        }
        let host = try rerankHost(named: parsed.model)
        guard case .rerank(let pipeline) = try host.requirePipeline() else {
            throw OpenAIError(.badRequest, "the model '\(host.modelID)' is not a reranker", param: "model", code: "wrong_model_task")
        }
        let (scores, tokens): ([Float], Int)
        do {
            (scores, tokens) = try await ClientDisconnect.shared.run(on: context.channel) {
                try await pipeline.rerank(query: parsed.query, texts: parsed.documents, deadline: deadline)
            }
        } catch let error as InferenceError {
            if error.code == "empty_input" {
                throw OpenAIError.invalid(error.message, code: "empty_input", param: error.parameter == "texts" ? "documents" : error.parameter)
            }
            throw OpenAIError(error)
        }
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"model":"#)
        JSONString.write(host.modelID, to: &buffer)
        buffer.writeStaticString(#","results":["#)
        for (rank, index) in Ranking.order(scores).prefix(parsed.topN ?? scores.count).enumerated() {
            if rank > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString(#"{"index":"#)
            JSONNumbers.write(index, to: &buffer)
            buffer.writeStaticString(#","relevance_score":"#)
            JSONNumbers.write(scores[index], to: &buffer)
            if parsed.returnDocuments {
                buffer.writeStaticString(#","document":{"text":"#)
                JSONString.write(parsed.documents[index], to: &buffer)
                buffer.writeStaticString("}")
            }
            buffer.writeStaticString("}")
        }
        buffer.writeStaticString(#"],"usage":{"total_tokens":"#)
        JSONNumbers.write(tokens, to: &buffer)
        buffer.writeStaticString("}}")
        return JSONBody.response(.ok, buffer: buffer)
    }

    private func rerankHost(named name: String?) throws -> ModelHost {
        if let name, let host = registry.host(named: name) { return host }
        if name != nil, registry.hosts.count > 1 { throw OpenAIError.modelNotFound(name!) }
        guard let host = registry.firstHost(for: .rerank) else {
            throw OpenAIError(.badRequest, "no reranker model is served here", param: "model", code: "wrong_model_task")
        }
        return host
    }
}
