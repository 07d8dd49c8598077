import Foundation

/// One text or a sentence pair, as classifiers take them.
public enum ClassificationInput: Sendable, Hashable {
    case single(String)
    case pair(String, String)
}

/// Sequence classification: logits per label, as probabilities (softmax, or a sigmoid per label for
/// multi-label models) unless the caller wants raw scores.
public final class ClassificationPipeline: Sendable {
    let model: EncoderModel
    /// Label names in logit order.
    public let labels: [String]
    /// Labels are independent (sigmoid) rather than exclusive (softmax).
    public let multiLabel: Bool

    init(model: EncoderModel, labels: [String], multiLabel: Bool) {
        self.model = model
        self.labels = labels
        self.multiLabel = multiLabel
    }

    /// One score per label (in label order) for each input, in input order.
    /// - Parameters:
    ///   - rawScores: the logits themselves (as `function: .none`).
    ///   - function: how logits become scores; nil is the model's own activation.
    public func classify(
        _ inputs: [ClassificationInput],
        rawScores: Bool = false,
        function: ScoreFunction? = nil,
        truncation: TruncationOptions = TruncationOptions(),
        deadline: ContinuousClock.Instant? = nil
    ) async throws(InferenceError) -> ClassificationResult {
        if inputs.isEmpty { throw .emptyInput(at: nil) }
        let single = inputs.count == 1
        let model = self.model
        var (encoded, timings) = try await model.tokenize(count: inputs.count) { index throws(InferenceError) in
            switch inputs[index] {
            case .single(let text):
                return try model.encode(text, at: single ? nil : index, options: truncation)
            case .pair(let first, let second):
                return try model.encode(pair: first, second, at: single ? nil : index, options: truncation)
            }
        }
        let logits = try await model.run(encoded, timings: &timings, deadline: deadline)
        let function = function ?? (rawScores ? .none : multiLabel ? .sigmoid : .softmax)
        return ClassificationResult(scores: function == .none ? logits : logits.map(function.apply), timings: timings)
    }
}
