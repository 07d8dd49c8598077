import Foundation

/// Scores (query, text) pairs with a cross-encoder: one logit per pair, squashed with a sigmoid unless
/// the caller wants raw scores.
public final class RerankPipeline: Sendable {
    let model: EncoderModel

    init(model: EncoderModel) {
        self.model = model
    }

    /// One score per text, in input order, and the tokens computed.
    public func rerank(
        query: String,
        texts: [String],
        rawScores: Bool = false,
        truncation: TruncationOptions = TruncationOptions(),
        deadline: ContinuousClock.Instant? = nil
    ) async throws(InferenceError) -> RerankResult {
        if texts.isEmpty { throw .emptyInput(at: nil, field: "texts") }
        if query.isEmpty { throw .emptyInput(at: nil, field: "query") }
        let model = self.model
        var (pairs, timings) = try await model.tokenize(count: texts.count) { index throws(InferenceError) in
            try model.encode(pair: query, texts[index], at: index, options: truncation)
        }
        let logits = try await model.run(pairs, timings: &timings, deadline: deadline)
        let scores = logits.map { row in rawScores ? row[0] : Activation.sigmoid(row[0]) }
        return RerankResult(scores: scores, tokens: pairs.reduce(0) { $0 + $1.count }, timings: timings)
    }
}
