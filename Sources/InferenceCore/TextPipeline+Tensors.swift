/// A text model as KServe v2 sees it (HTTP and gRPC), so one protocol reaches every model: BYTES inputs of UTF-8
/// texts, tokenized, batched and post-processed by the same pipeline as the text routes, and FP32 outputs.
///
/// - embeddings: `text` BYTES `[-1]` -> `embedding` FP32 `[-1, dimensions]` (normalised as `/v1/embeddings`).
/// - rerank: `query` BYTES `[1]` and `text` BYTES `[-1]` -> `score` FP32 `[-1]` (the documents' scores, in order).
/// - classify: `text` BYTES `[-1]` -> `probabilities` FP32 `[-1, labels]` (softmax, or sigmoid per label).
extension TextPipeline {
    public var tensorInputs: [TensorSpec] {
        switch self {
        case .rerank:
            [TensorSpec(name: "query", datatype: .bytes, shape: [1]), TensorSpec(name: "text", datatype: .bytes, shape: [-1])]
        case .embeddings, .classify:
            [TensorSpec(name: "text", datatype: .bytes, shape: [-1])]
        }
    }

    public var tensorOutputs: [TensorSpec] {
        switch self {
        case .embeddings(let pipeline): [TensorSpec(name: "embedding", datatype: .fp32, shape: [-1, pipeline.dimensions])]
        case .rerank: [TensorSpec(name: "score", datatype: .fp32, shape: [-1])]
        case .classify(let pipeline): [TensorSpec(name: "probabilities", datatype: .fp32, shape: [-1, pipeline.labels.count])]
        }
    }

    /// Runs the texts of `inputs` (validated against ``tensorInputs`` by the caller).
    /// - Throws: `InferenceError` as the text routes' pipelines do; `.validation` for an element that is not UTF-8.
    public func infer(_ inputs: [HostTensor], outputs requested: [String]?, deadline: ContinuousClock.Instant?)
        async throws(InferenceError) -> RawInferenceResult
    {
        func texts(_ name: String) throws(InferenceError) -> [String] {
            guard let input = inputs.first(where: { $0.name == name }), case .strings(let elements) = input.contents else {
                throw InferenceError(
                    .validation, code: "invalid_input", message: "model '\(modelID)' takes a BYTES input '\(name)'",
                    parameter: name)
            }
            var texts: [String] = []
            texts.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                guard let text = String(validating: element, as: UTF8.self) else {
                    throw InferenceError(
                        .validation, code: "invalid_input", message: "\(name)[\(index)] is not UTF-8 text",
                        parameter: name)
                }
                texts.append(text)
            }
            return texts
        }
        let output: HostTensor
        let timings: RequestTimings
        switch self {
        case .embeddings(let pipeline):
            let result = try await pipeline.embed(try texts("text").map { .text($0) }, deadline: deadline)
            output = HostTensor.fp32("embedding", shape: [result.embeddings.count, pipeline.dimensions], result.embeddings)
            timings = result.timings
        case .rerank(let pipeline):
            let query = try texts("query")
            guard query.count == 1 else {
                throw InferenceError(
                    .validation, code: "invalid_input", message: "'query' holds one text, not \(query.count)",
                    parameter: "query")
            }
            let result = try await pipeline.rerank(query: query[0], texts: try texts("text"), deadline: deadline)
            output = HostTensor.fp32("score", shape: [result.scores.count], [result.scores])
            timings = result.timings
        case .classify(let pipeline):
            let result = try await pipeline.classify(try texts("text").map { .single($0) }, deadline: deadline)
            output = HostTensor.fp32("probabilities", shape: [result.scores.count, pipeline.labels.count], result.scores)
            timings = result.timings
        }
        let wanted = requested ?? [output.name]
        return RawInferenceResult(outputs: wanted.contains(output.name) ? [output] : [], timings: timings)
    }
}
