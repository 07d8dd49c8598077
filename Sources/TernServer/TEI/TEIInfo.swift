import InferenceCore


/// `GET /info` in text-embeddings-inference's shape.
struct TEIInfo: Encodable {
    struct Classifier: Encodable {
        let id2label: [String: String]
        let label2id: [String: Int]
    }

    struct Embedding: Encodable {
        let pooling: String
    }

    enum ModelType: Encodable {
        case embedding(Embedding)
        case classifier(Classifier)
        case reranker(Classifier)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            switch self {
            case .embedding(let value): try container.encode(value, forKey: .embedding)
            case .classifier(let value): try container.encode(value, forKey: .classifier)
            case .reranker(let value): try container.encode(value, forKey: .reranker)
            }
        }

        private enum Key: String, CodingKey { case embedding, classifier, reranker }
    }

    let modelID: String
    let modelSHA: String? = nil
    let modelDType = "float32"
    let modelType: ModelType
    let maxConcurrentRequests: Int
    let maxInputLength: Int
    let maxBatchTokens: Int
    let maxBatchRequests: Int
    let maxClientBatchSize: Int
    let autoTruncate: Bool
    let tokenizationWorkers: Int
    let version: String
    let weights: Weights
    let engines: Engines

    /// Tern's extension: how many engines run batches, on how many threads each, and what `--engines auto`
    /// measured when it chose them.
    struct Engines: Encodable {
        struct Candidate: Encodable {
            let engines: Int
            let threads: Int
            let inputsPerSecond: Double

            private enum CodingKeys: String, CodingKey {
                case engines, threads, inputsPerSecond = "inputs_per_second"
            }
        }

        let engines: Int
        let threads: Int
        let calibrated: Bool
        let batchInputs: Int?
        let candidates: [Candidate]

        private enum CodingKeys: String, CodingKey {
            case engines, threads, calibrated, candidates, batchInputs = "batch_inputs"
        }
    }

    /// Tern's extension: which weights are served and how long they took to load.
    struct Weights: Encodable {
        let format: String
        let file: String
        let buildMilliseconds: Int64
        let sessionMilliseconds: Int64
        let executionProvider: String
        let quantization: String

        private enum CodingKeys: String, CodingKey {
            case format, file, quantization, buildMilliseconds = "build_ms", sessionMilliseconds = "session_ms"
            case executionProvider = "execution_provider"
        }
    }

    init(pipeline: TextPipeline, server: ServerConfiguration) {
        modelID = pipeline.modelID
        switch pipeline {
        case .embeddings(let embeddings):
            modelType = .embedding(Embedding(pooling: embeddings.pooling.rawValue))
        case .rerank:
            modelType = .reranker(Classifier(id2label: ["0": "LABEL_0"], label2id: ["LABEL_0": 0]))
        case .classify(let classifier):
            let labels = classifier.labels
            modelType = .classifier(
                Classifier(
                    id2label: Dictionary(uniqueKeysWithValues: labels.enumerated().map { (String($0.offset), $0.element) }),
                    label2id: Dictionary(labels.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
                )
            )
        }
        let batching = pipeline.batching
        maxConcurrentRequests = batching.maxConcurrentRequests
        maxInputLength = pipeline.maxLength
        maxBatchTokens = batching.maxBatchTokens
        maxBatchRequests = batching.maxBatchInputs
        maxClientBatchSize = server.maxInputs
        autoTruncate = pipeline.truncatesByDefault
        tokenizationWorkers = 1
        version = TernVersion.current
        let report = pipeline.weights
        weights = Weights(
            format: report.format, file: report.file, buildMilliseconds: report.build.wholeNanoseconds / 1_000_000,
            sessionMilliseconds: report.session.wholeNanoseconds / 1_000_000, executionProvider: "\(report.executionProvider)",
            quantization: report.quantization.rawValue)
        let calibration = pipeline.calibration
        engines = Engines(
            engines: batching.engines, threads: pipeline.threadsPerEngine, calibrated: calibration != nil,
            batchInputs: calibration?.batchInputs,
            candidates: (calibration?.measurements ?? []).map {
                .init(engines: $0.layout.engines, threads: $0.layout.threads,
                      inputsPerSecond: ($0.inputsPerSecond * 10).rounded() / 10)
            })
    }

    private enum CodingKeys: String, CodingKey {
        case modelID = "model_id", modelSHA = "model_sha", modelDType = "model_dtype", modelType = "model_type"
        case maxConcurrentRequests = "max_concurrent_requests", maxInputLength = "max_input_length"
        case maxBatchTokens = "max_batch_tokens", maxBatchRequests = "max_batch_requests"
        case maxClientBatchSize = "max_client_batch_size", autoTruncate = "auto_truncate"
        case tokenizationWorkers = "tokenization_workers", version, weights, engines
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(modelID, forKey: .modelID)
        try c.encode(modelSHA, forKey: .modelSHA)
        try c.encode(modelDType, forKey: .modelDType)
        try c.encode(modelType, forKey: .modelType)
        try c.encode(maxConcurrentRequests, forKey: .maxConcurrentRequests)
        try c.encode(maxInputLength, forKey: .maxInputLength)
        try c.encode(maxBatchTokens, forKey: .maxBatchTokens)
        try c.encode(maxBatchRequests, forKey: .maxBatchRequests)
        try c.encode(maxClientBatchSize, forKey: .maxClientBatchSize)
        try c.encode(autoTruncate, forKey: .autoTruncate)
        try c.encode(tokenizationWorkers, forKey: .tokenizationWorkers)
        try c.encode(version, forKey: .version)
        try c.encode(weights, forKey: .weights)
        try c.encode(engines, forKey: .engines)
    }
}
