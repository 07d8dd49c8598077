import Foundation
import Hummingbird
import InferenceCore

/// text-embeddings-inference's routes: `/embed`, `/rerank`, `/predict`, `/tokenize`, `/decode`, `/info` and `/`, each also
/// under `/models/{model}/` to pick one of several models. Without the prefix a route goes to the first
/// model whose task fits it.
struct TEIRoutes {
    let registry: ModelRegistry
    let configuration: ServerConfiguration

    func register(on router: Router<TernRequestContext>) {
        for path in ["", "models/:model"] {
            let group = router.group(RouterPath(path)).add(middleware: TEIErrorMiddleware())
            group.post("embed") { request, context in try await embed(request, context, host: host(for: .embeddings, context)) }
            group.post("rerank") { request, context in try await rerank(request, context, host: host(for: .rerank, context)) }
            group.post("predict") { request, context in try await predict(request, context, host: host(for: .classify, context)) }
            group.get("info") { _, context in try info(host(for: nil, context)) }
            group.post("tokenize") { request, context in try await tokenize(request, context) }
            group.post("decode") { request, context in try await decode(request, context) }
        }
        router.group().add(middleware: TEIErrorMiddleware()).post("/") { request, context in
            try await byTask(request, context, host: registry.defaultHost)
        }
    }

    /// The model a request is for: named in the path, else the first fitting `kind` (else the first).
    func host(for kind: ModelRegistry.TaskKind?, _ context: TernRequestContext) throws -> ModelHost {
        if let name = context.parameters.get("model") {
            guard let host = registry.host(named: name) else {
                throw TEIError(.notFound, .validation, "the model '\(name)' is not served here")
            }
            return host
        }
        guard let kind else { return try registry.defaultHost }
        return try registry.firstHost(for: kind) ?? registry.defaultHost
    }

    /// `POST /`: what the model's task does, as TEI routes it.
    private func byTask(_ request: Request, _ context: TernRequestContext, host: ModelHost) async throws -> Response {
        switch host.task {
        case .embeddings: try await embed(request, context, host: host)
        case .rerank: try await rerank(request, context, host: host)
        case .classify: try await predict(request, context, host: host)
        }
    }

    func prepare<T: Decodable>(_ request: Request, as type: T.Type) async throws -> (T, ContinuousClock.Instant) {
        let deadline = try RequestDeadline.deadline(for: request, default: configuration.requestTimeout)
        let body = try await RequestBodyReader.collect(request, limit: configuration.maxBodySize)
        return (try TEIBody.decode(type, from: body), deadline)
    }

    /// TEI's batch checks: an empty batch is 400 `Empty`, one over `--max-inputs` is 413.
    func checkBatch(_ count: Int, field: String) throws {
        if count == 0 { throw TEIError(.badRequest, .empty, "`\(field)` cannot be empty") }
        if count > configuration.maxInputs {
            throw TEIError(.contentTooLarge, .validation, "batch size \(count) > maximum allowed batch size \(configuration.maxInputs)")
        }
    }

    /// `--max-input-chars`: 413 `Validation`, TEI's status for input that is too large.
    func checkLength(_ texts: [String], field: String) throws {
        try checkLength(InputLengthLimit(limit: configuration.maxInputChars).firstViolation(texts), field: field)
    }

    private func checkLength(_ violation: InputLengthLimit.Violation?, field: String) throws {
        guard let violation else { return }
        let message = InputLengthLimit(limit: configuration.maxInputChars).message(violation, field: field)
        throw TEIError(.contentTooLarge, .validation, message)
    }

    private func embed(_ request: Request, _ context: TernRequestContext, host: ModelHost) async throws -> Response {
        guard case .embeddings(let pipeline) = try host.requirePipeline() else { throw TEIError.wrongTask(host, route: "/embed") }
        let (parsed, deadline) = try await prepare(request, as: TEIEmbedRequest.self)
        try checkBatch(parsed.inputs.count, field: "inputs")
        try checkLength(parsed.inputs, field: "inputs")
        let result = try await ClientDisconnect.shared.run(on: context.channel) {
            try await pipeline.embed(
                parsed.inputs.map(EmbeddingInput.text), dimensions: parsed.dimensions, normalize: parsed.normalize,
                truncation: parsed.truncation, deadline: deadline)
        }
        var buffer = ByteBuffer()
        buffer.writeStaticString("[")
        for (index, vector) in result.embeddings.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            JSONNumbers.write(vector, to: &buffer)
        }
        buffer.writeStaticString("]")
        return JSONBody.response(.ok, buffer: buffer, headers: TimingHeaders.computeTokens(result.promptTokens))
    }

    private func rerank(_ request: Request, _ context: TernRequestContext, host: ModelHost) async throws -> Response {
        guard case .rerank(let pipeline) = try host.requirePipeline() else { throw TEIError.wrongTask(host, route: "/rerank") }
        let (parsed, deadline) = try await prepare(request, as: TEIRerankRequest.self)
        try checkBatch(parsed.texts.count, field: "texts")
        try checkLength([parsed.query], field: "query")
        try checkLength(parsed.texts, field: "texts")
        let (scores, tokens) = try await ClientDisconnect.shared.run(on: context.channel) {
            try await pipeline.rerank(
                query: parsed.query, texts: parsed.texts, rawScores: parsed.rawScores, truncation: parsed.truncation,
                deadline: deadline)
        }
        var buffer = ByteBuffer()
        buffer.writeStaticString("[")
        for (rank, index) in Ranking.order(scores).enumerated() {
            if rank > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString(#"{"index":"#)
            JSONNumbers.write(index, to: &buffer)
            if parsed.returnText {
                buffer.writeStaticString(#","text":"#)
                JSONString.write(parsed.texts[index], to: &buffer)
            }
            buffer.writeStaticString(#","score":"#)
            JSONNumbers.write(scores[index], to: &buffer)
            buffer.writeStaticString("}")
        }
        buffer.writeStaticString("]")
        return JSONBody.response(.ok, buffer: buffer, headers: TimingHeaders.computeTokens(tokens))
    }

    private func predict(_ request: Request, _ context: TernRequestContext, host: ModelHost) async throws -> Response {
        guard case .classify(let pipeline) = try host.requirePipeline() else { throw TEIError.wrongTask(host, route: "/predict") }
        let (parsed, deadline) = try await prepare(request, as: TEIPredictRequest.self)
        try checkBatch(parsed.inputs.count, field: "inputs")
        try checkLength(InputLengthLimit(limit: configuration.maxInputChars).firstViolation(parsed.inputs), field: "inputs")
        let scores = try await ClientDisconnect.shared.run(on: context.channel) {
            try await pipeline.classify(
                parsed.inputs, rawScores: parsed.rawScores, truncation: parsed.truncation, deadline: deadline)
        }
        var buffer = ByteBuffer()
        if !parsed.isSingle { buffer.writeStaticString("[") }
        for (item, row) in scores.enumerated() {
            if item > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString("[")
            for (rank, label) in Ranking.order(row).enumerated() {
                if rank > 0 { buffer.writeStaticString(",") }
                buffer.writeStaticString(#"{"score":"#)
                JSONNumbers.write(row[label], to: &buffer)
                buffer.writeStaticString(#","label":"#)
                JSONString.write(pipeline.labels[label], to: &buffer)
                buffer.writeStaticString("}")
            }
            buffer.writeStaticString("]")
        }
        if !parsed.isSingle { buffer.writeStaticString("]") }
        return JSONBody.response(.ok, buffer: buffer)
    }

    private func info(_ host: ModelHost) throws -> Response {
        let pipeline = try host.requirePipeline()
        let data = try JSONEncoder().encode(TEIInfo(pipeline: pipeline, server: configuration))
        return JSONBody.response(.ok, buffer: ByteBuffer(bytes: data))
    }
}

/// Indices of `scores`, highest score first (ties keep input order).
enum Ranking {
    static func order(_ scores: [Float]) -> [Int] {
        scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    }
}
