import Foundation
import Hummingbird
import InferenceCore
import Serving

/// Cohere's API: `POST /v1/rerank` and `/v2/rerank` (also Jina's shape), `POST /v1/embed` and `/v2/embed`.
/// Errors are in OpenAI's shape, which Cohere's clients read by status.
struct CohereRoutes {
    let registry: ModelRegistry
    let configuration: ServerConfiguration
    let preamble: RequestPreamble

    func register(on router: Router<TernRequestContext>) {
        // On the router itself, not under the KServe `/v2` group, whose catch-all would answer them 404.
        for version in ["v1", "v2"] {
            router.post(RouterPath("\(version)/rerank")) { request, context in try await rerank(request, context) }
            router.post(RouterPath("\(version)/embed")) { request, context in
                try await embed(request, context, byType: version == "v2")
            }
        }
    }

    private func rerank(_ request: Request, _ context: TernRequestContext) async throws -> Response {
        let (body, deadline) = try await preamble.read(request)
        let parsed = try OpenAIBody.decode(CohereRerankRequest.self, from: body)
        try preamble.checkCount(parsed.documents.count, field: "documents")
        try preamble.checkLength([parsed.query], field: "query")
        try preamble.checkLength(parsed.documents, field: "documents")
        let choice = try choose(parsed.model, for: .rerank, context)
        guard case .rerank(let pipeline) = try choice.host.requirePipeline() else {
            throw OpenAIError(
                .badRequest, "the model '\(choice.host.modelID)' is not a reranker", param: "model", code: "wrong_model_task")
        }
        let result: RerankResult
        do {
            result = try await ClientDisconnect.shared.run(on: context.channel) {
                try await pipeline.rerank(query: parsed.query, texts: parsed.documents, deadline: deadline)
            }
        } catch let error as InferenceError where error.parameter == "texts" {
            // The pipeline names its own field; this API calls it `documents`.
            throw ServingFailure(ServingFailure(error).kind, error.message, parameter: "documents", code: error.code)
        }
        context.report.add(result.timings)
        let buffer = RerankResultsWriter.write(
            scores: result.scores, documents: parsed.documents, topN: parsed.topN,
            returnDocuments: parsed.returnDocuments, model: choice.host.modelID, tokens: result.tokens)
        return JSONBody.response(.ok, buffer: buffer, headers: choice.headers)
    }

    /// `POST /v1/embed` and `/v2/embed`: `texts`, `embedding_types`, `truncate`, `output_dimension`.
    /// `/v1/embed` without `embedding_types` answers `embeddings_floats`; everything else `embeddings_by_type`.
    private func embed(_ request: Request, _ context: TernRequestContext, byType: Bool) async throws -> Response {
        let (body, deadline) = try await preamble.read(request)
        let parsed = try OpenAIBody.decode(CohereEmbedRequest.self, from: body)
        try preamble.checkCount(parsed.texts.count, field: "texts")
        try preamble.checkLength(parsed.texts, field: "texts")
        let choice = try choose(parsed.model, for: .embeddings, context)
        guard case .embeddings(let pipeline) = try choice.host.requirePipeline() else {
            throw OpenAIError.wrongTask(choice.host.modelID, task: choice.host.task)
        }
        let result = try await ClientDisconnect.shared.run(on: context.channel) {
            try await pipeline.embed(
                parsed.texts.map(EmbeddingInput.text), dimensions: parsed.outputDimension,
                truncation: parsed.truncation, deadline: deadline)
        }
        context.report.add(result.timings)
        let buffer = CohereEmbeddingsWriter.write(
            result.embeddings, texts: parsed.texts, types: parsed.embeddingTypes ?? (byType ? [.float] : nil),
            tokens: result.promptTokens)
        return JSONBody.response(.ok, buffer: buffer, headers: choice.headers)
    }

    private func choose(_ name: String?, for kind: ModelRegistry.TaskKind, _ context: TernRequestContext) throws
        -> ModelChoice
    {
        try ModelChoice.resolve(
            name, for: kind, in: registry, context: context,
            noModel: {
                OpenAIError(
                    .badRequest, "no \(kind == .rerank ? "reranker" : "embedding") model is served here", param: "model",
                    code: "wrong_model_task")
            })
    }
}
