import Foundation
import Hummingbird
import InferenceCore
import Serving

/// text-embeddings-inference's routes: `/embed`, `/rerank`, `/predict`, `/tokenize`, `/decode`, `/info` and `/`, each also
/// under `/models/{model}/` to pick one of several models. Without the prefix a route goes to the first
/// model whose task fits it.
struct TEIRoutes {
    let registry: ModelRegistry
    let configuration: ServerConfiguration
    /// Deadline, body and input limits, shared with the other APIs' routes.
    let preamble: RequestPreamble

    /// A route's answer: the JSON body and the tokens computed for it (`x-compute-tokens`), if any.
    typealias Reply = (body: ByteBuffer, tokens: Int?)

    func register(on router: Router<TernRequestContext>) {
        for path in ["", "models/:model"] {
            let group = router.group(RouterPath(path)).add(middleware: TEIErrorMiddleware())
            group.post("embed") { request, context in
                try await respond(request) { body, deadline in
                    let images = ImageRoutes(registry: registry, preamble: preamble)
                    if images.servesEmbeddings(for: context.parameters.get("model")) {
                        return try await embedImages(body, context, deadline, images)
                    }
                    return try await embed(body, context, deadline, host: host(for: .embeddings, context))
                }
            }
            group.post("similarity") { request, context in
                try await respond(request) { body, deadline in
                    try await similarity(body, context, deadline, host: host(for: .embeddings, context))
                }
            }
            group.post("rerank") { request, context in
                try await respond(request) { body, deadline in
                    try await rerank(body, context, deadline, host: host(for: .rerank, context))
                }
            }
            group.post("predict") { request, context in
                let images = ImageRoutes(registry: registry, preamble: preamble)
                switch images.claims(request, context) {
                case true?:
                    return try await images.predict(request, context)
                case false?:
                    return try await respond(request) { body, deadline in
                        try await predict(body, context, deadline, host: host(for: .classify, context))
                    }
                case nil:
                    // JSON to a server with image models and a text classifier: the body says which.
                    let (body, deadline) = try await preamble.read(request)
                    if ImagePredictRequest.namesImages(body) {
                        return try await images.predict(request, context, read: (body, deadline))
                    }
                    let reply = try await predict(body, context, deadline, host: host(for: .classify, context))
                    return JSONBody.response(.ok, buffer: reply.body)
                }
            }
            group.post("embed_all") { request, context in
                try await respond(request) { body, deadline in
                    try await embedAll(body, context, deadline, host: host(for: .embeddings, context))
                }
            }
            group.post("embed_sparse") { request, context -> Response in
                throw try unsupported("embed_sparse", host: host(for: .embeddings, context))
            }
            group.get("info") { _, context in try info(host(for: nil, context)) }
            group.post("tokenize") { request, context in try await tokenize(request, context) }
            group.post("decode") { request, context in try await decode(request, context) }
        }
        let root = router.group().add(middleware: TEIErrorMiddleware())
        // `/` as TEI serves it; `/invocations` is the same route under SageMaker's name.
        for path in ["/", "invocations"] {
            root.post(RouterPath(path)) { request, context in
                try await respond(request) { body, deadline in
                    try await byTask(body, context, deadline, host: registry.defaultHost)
                }
            }
        }
        root.post("vertex") { request, context in
            try await respond(request) { body, deadline in try await vertex(body, context, deadline) }
        }
        // SageMaker's and TEI's liveness probe.
        root.get("ping") { _, _ in Response(status: .ok) }
    }

    /// Reads the deadline and the body, runs `handler`, and answers 200 with its JSON.
    private func respond(
        _ request: Request, _ handler: (ByteBuffer, ContinuousClock.Instant) async throws -> Reply
    ) async throws -> Response {
        let (body, deadline) = try await preamble.read(request)
        let reply = try await handler(body, deadline)
        return JSONBody.response(.ok, buffer: reply.body, headers: reply.tokens.map(TimingHeaders.computeTokens) ?? [:])
    }

    /// The model a request is for: named in the path, else the first fitting `kind` (else the first).
    func host(for kind: ModelRegistry.TaskKind?, _ context: TernRequestContext) throws -> ModelHost {
        let host = try findHost(for: kind, context)
        context.report.label(model: host.modelID)
        return host
    }

    private func findHost(for kind: ModelRegistry.TaskKind?, _ context: TernRequestContext) throws -> ModelHost {
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
    private func byTask(
        _ body: ByteBuffer, _ context: TernRequestContext, _ deadline: ContinuousClock.Instant, host: ModelHost
    ) async throws -> Reply {
        switch host.task {
        case .embeddings: try await embed(body, context, deadline, host: host)
        case .rerank: try await rerank(body, context, deadline, host: host)
        case .classify: try await predict(body, context, deadline, host: host)
        }
    }

    /// `POST /vertex`: Vertex AI's `{"instances": [...]}`, each instance a body of `POST /`, answered as
    /// `{"predictions": [...]}` in instance order.
    private func vertex(_ body: ByteBuffer, _ context: TernRequestContext, _ deadline: ContinuousClock.Instant)
        async throws -> Reply
    {
        let instances = try TEIVertexRequest.instances(in: body)
        try preamble.checkCount(instances.count, field: "instances")
        let host = try registry.defaultHost
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"predictions":["#)
        var tokens = 0
        for (index, instance) in instances.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            var reply = try await byTask(instance, context, deadline, host: host)
            buffer.writeBuffer(&reply.body)
            tokens += reply.tokens ?? 0
        }
        buffer.writeStaticString("]}")
        return (buffer, tokens)
    }

    /// `POST /embed_all`: every token's vector of each input, before pooling (`[[[float]]]`).
    private func embedAll(
        _ body: ByteBuffer, _ context: TernRequestContext, _ deadline: ContinuousClock.Instant, host: ModelHost
    ) async throws -> Reply {
        guard case .embeddings(let pipeline) = try host.requirePipeline() else {
            throw TEIError.wrongTask(host, route: "/embed_all")
        }
        let parsed = try TEIBody.decode(TEIEmbedRequest.self, from: body)
        guard parsed.similarity == nil else {
            throw TEIError.invalidBody("inputs: expected a string or a list of strings")
        }
        try preamble.checkCount(parsed.inputs.count, field: "inputs")
        try preamble.checkLength(parsed.inputs, field: "inputs")
        let result = try await ClientDisconnect.shared.run(on: context.channel) {
            try await pipeline.embedTokens(
                parsed.inputs, truncation: parsed.truncation, promptName: parsed.promptName, deadline: deadline)
        }
        context.report.add(result.timings)
        var buffer = ByteBuffer()
        buffer.writeStaticString("[")
        for (index, tokens) in result.tokens.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString("[")
            for (position, vector) in tokens.enumerated() {
                if position > 0 { buffer.writeStaticString(",") }
                JSONNumbers.write(vector, to: &buffer)
            }
            buffer.writeStaticString("]")
        }
        buffer.writeStaticString("]")
        return (buffer, result.promptTokens)
    }

    /// `/embed_sparse` needs a sparse (SPLADE) head, which no served model has.
    private func unsupported(_ route: String, host: ModelHost) -> TEIError {
        TEIError(
            TEIError.failedDependency, .backend,
            "model '\(host.modelID)' does not serve /\(route): it has no sparse (SPLADE) head; use /embed for dense "
                + "vectors or /embed_all for token vectors")
    }

    /// The deadline and the decoded body of a route that reads its own request.
    func prepare<T: Decodable>(_ request: Request, as type: T.Type) async throws -> (T, ContinuousClock.Instant) {
        let (body, deadline) = try await preamble.read(request)
        return (try TEIBody.decode(type, from: body), deadline)
    }

    /// `POST /embed` to an image encoder: `inputs` are base64 images or data URIs; the answer is TEI's `[[float]]`.
    private func embedImages(
        _ body: ByteBuffer, _ context: TernRequestContext, _ deadline: ContinuousClock.Instant, _ images: ImageRoutes
    ) async throws -> Reply {
        let parsed = try TEIBody.decode(TEIEmbedRequest.self, from: body)
        let answer = try await images.embed(
            parsed.inputs, field: "inputs", model: context.parameters.get("model"), deadline: deadline, context)
        var buffer = ByteBuffer()
        buffer.writeStaticString("[")
        for (index, vector) in answer.vectors.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            JSONNumbers.write(vector, to: &buffer)
        }
        buffer.writeStaticString("]")
        return (buffer, nil)
    }

    private func embed(
        _ body: ByteBuffer, _ context: TernRequestContext, _ deadline: ContinuousClock.Instant, host: ModelHost
    ) async throws -> Reply {
        guard case .embeddings(let pipeline) = try host.requirePipeline() else { throw TEIError.wrongTask(host, route: "/embed") }
        let parsed = try TEIBody.decode(TEIEmbedRequest.self, from: body)
        if let pair = parsed.similarity {
            return try await similarity(pair, context, deadline, pipeline: pipeline, truncation: parsed.truncation)
        }
        try preamble.checkCount(parsed.inputs.count, field: "inputs")
        try preamble.checkLength(parsed.inputs, field: "inputs")
        let result = try await ClientDisconnect.shared.run(on: context.channel) {
            try await pipeline.embed(
                parsed.inputs.map(EmbeddingInput.text), dimensions: parsed.dimensions, normalize: parsed.normalize,
                truncation: parsed.truncation, promptName: parsed.promptName, deadline: deadline)
        }
        context.report.add(result.timings)
        var buffer = ByteBuffer()
        buffer.writeStaticString("[")
        for (index, vector) in result.embeddings.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            JSONNumbers.write(vector, to: &buffer)
        }
        buffer.writeStaticString("]")
        return (buffer, result.promptTokens)
    }

    /// `POST /similarity`: `{"inputs": {"source_sentence", "sentences"}}`, answered with the cosine
    /// similarity of each sentence to the source, in order.
    private func similarity(
        _ body: ByteBuffer, _ context: TernRequestContext, _ deadline: ContinuousClock.Instant, host: ModelHost
    ) async throws -> Reply {
        guard case .embeddings(let pipeline) = try host.requirePipeline() else {
            throw TEIError.wrongTask(host, route: "/similarity")
        }
        let parsed = try TEIBody.decode(TEIEmbedRequest.self, from: body)
        guard let pair = parsed.similarity else {
            throw TEIError.invalidBody("inputs: expected {\"source_sentence\": string, \"sentences\": [string]}")
        }
        return try await similarity(pair, context, deadline, pipeline: pipeline, truncation: parsed.truncation)
    }

    private func similarity(
        _ pair: TEIEmbedRequest.Similarity, _ context: TernRequestContext, _ deadline: ContinuousClock.Instant,
        pipeline: EmbeddingPipeline, truncation: TruncationOptions
    ) async throws -> Reply {
        // No sentences is 400 Empty; the source counts towards --max-inputs with them.
        try preamble.checkCount(pair.sentences.isEmpty ? 0 : pair.sentences.count + 1, field: "inputs.sentences")
        try preamble.checkLength([pair.source], field: "inputs.source_sentence")
        try preamble.checkLength(pair.sentences, field: "inputs.sentences")
        let texts = [pair.source] + pair.sentences
        let result = try await ClientDisconnect.shared.run(on: context.channel) {
            try await pipeline.embed(
                texts.map(EmbeddingInput.text), normalize: true, truncation: truncation, deadline: deadline)
        }
        context.report.add(result.timings)
        let source = result.embeddings[0]
        var buffer = ByteBuffer()
        buffer.writeStaticString("[")
        for index in 1..<result.embeddings.count {
            if index > 1 { buffer.writeStaticString(",") }
            var dot: Float = 0
            for (a, b) in zip(source, result.embeddings[index]) { dot += a * b }
            JSONNumbers.write(dot, to: &buffer)
        }
        buffer.writeStaticString("]")
        return (buffer, result.promptTokens)
    }

    /// `POST /rerank` in TEI's shape (`texts`, answered with a list of `{index, score}`) or in Cohere's and
    /// Jina's (`documents`, answered with `{results: [{index, relevance_score}]}`), as litellm and
    /// Infinity clients post it; `top_n` keeps the best ones in both.
    private func rerank(
        _ body: ByteBuffer, _ context: TernRequestContext, _ deadline: ContinuousClock.Instant, host: ModelHost
    ) async throws -> Reply {
        guard case .rerank(let pipeline) = try host.requirePipeline() else { throw TEIError.wrongTask(host, route: "/rerank") }
        let parsed = try TEIBody.decode(TEIRerankRequest.self, from: body)
        let field = parsed.cohereShape ? "documents" : "texts"
        try preamble.checkCount(parsed.texts.count, field: field)
        try preamble.checkLength([parsed.query], field: "query")
        try preamble.checkLength(parsed.texts, field: field)
        let result = try await ClientDisconnect.shared.run(on: context.channel) {
            try await pipeline.rerank(
                query: parsed.query, texts: parsed.texts, rawScores: parsed.rawScores, truncation: parsed.truncation,
                deadline: deadline)
        }
        context.report.add(result.timings)
        let (scores, tokens) = (result.scores, result.tokens)
        if parsed.cohereShape {
            let buffer = RerankResultsWriter.write(
                scores: scores, documents: parsed.texts, topN: parsed.topN, returnDocuments: parsed.returnText,
                model: parsed.model ?? host.modelID, tokens: tokens, documentField: .text)
            return (buffer, tokens)
        }
        var buffer = ByteBuffer()
        buffer.writeStaticString("[")
        for (rank, index) in Ranking.order(scores).prefix(parsed.topN ?? scores.count).enumerated() {
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
        return (buffer, tokens)
    }

    /// `POST /predict`. A single input is answered with a flat list of `{score, label}` as TEI does, unless
    /// the body carries Hugging Face's `parameters` (huggingface_hub's `text_classification` sends them and
    /// reads the first element of a list of lists); `top_k` keeps the best labels, `function_to_apply`
    /// (`softmax`, `sigmoid`, `none`) overrides the model's activation.
    private func predict(
        _ body: ByteBuffer, _ context: TernRequestContext, _ deadline: ContinuousClock.Instant, host: ModelHost
    ) async throws -> Reply {
        guard case .classify(let pipeline) = try host.requirePipeline() else { throw TEIError.wrongTask(host, route: "/predict") }
        let parsed = try TEIBody.decode(TEIPredictRequest.self, from: body)
        try preamble.checkCount(parsed.inputs.count, field: "inputs")
        try preamble.checkLength(parsed.inputs, field: "inputs")
        let result = try await ClientDisconnect.shared.run(on: context.channel) {
            try await pipeline.classify(
                parsed.inputs, rawScores: parsed.rawScores, function: parsed.functionToApply,
                truncation: parsed.truncation, deadline: deadline)
        }
        context.report.add(result.timings)
        let scores = result.scores
        let nested = !parsed.isSingle || parsed.huggingFaceParameters
        var buffer = ByteBuffer()
        if nested { buffer.writeStaticString("[") }
        for (item, row) in scores.enumerated() {
            if item > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString("[")
            for (rank, label) in Ranking.order(row).prefix(parsed.topK ?? row.count).enumerated() {
                if rank > 0 { buffer.writeStaticString(",") }
                buffer.writeStaticString(#"{"score":"#)
                JSONNumbers.write(row[label], to: &buffer)
                buffer.writeStaticString(#","label":"#)
                JSONString.write(pipeline.labels[label], to: &buffer)
                buffer.writeStaticString("}")
            }
            buffer.writeStaticString("]")
        }
        if nested { buffer.writeStaticString("]") }
        return (buffer, nil)
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
