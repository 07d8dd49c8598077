import Foundation
import Testing

@testable import InferenceCore

@Suite struct ClassificationConfigTests {
    private let reader = ModelFileReader(directory: URL(fileURLWithPath: "/model"))

    private func config(_ json: String) throws -> ClassificationConfig? {
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try ClassificationConfig(object, reader: reader)
    }

    @Test func anEncoderIsNotAClassifier() throws {
        #expect(try config(#"{"architectures": ["BertModel"]}"#) == nil)
    }

    @Test func oneLabelIsAReranker() throws {
        let parsed = try #require(try config(#"{"architectures": ["BertForSequenceClassification"], "id2label": {"0": "LABEL_0"}}"#))
        #expect(parsed.task == .rerank)
        #expect(parsed.labels == ["LABEL_0"])
    }

    @Test func labelsComeInIdOrder() throws {
        let parsed = try #require(
            try config(#"{"architectures": ["XLMRobertaForSequenceClassification"], "id2label": {"2": "c", "0": "a", "1": "b"}}"#))
        #expect(parsed.task == .classify(multiLabel: false))
        #expect(parsed.labels == ["a", "b", "c"])
    }

    @Test func multiLabelProblemTypeMeansIndependentLabels() throws {
        let parsed = try #require(
            try config(#"{"architectures": ["BertForSequenceClassification"], "num_labels": 3, "problem_type": "multi_label_classification"}"#))
        #expect(parsed.task == .classify(multiLabel: true))
        #expect(parsed.labels == ["LABEL_0", "LABEL_1", "LABEL_2"])
    }

    @Test func badLabelMapsAreNamed() {
        #expect(throws: ModelLoadError.self) { try config(#"{"architectures": ["BertForSequenceClassification"], "id2label": {"x": "a"}}"#) }
        #expect(throws: ModelLoadError.self) { try config(#"{"architectures": ["BertForSequenceClassification"], "id2label": {"0": "a", "5": "b"}}"#) }
        #expect(throws: ModelLoadError.self) { try config(#"{"architectures": ["BertForSequenceClassification"]}"#) }
    }
}

@Suite struct ActivationTests {
    @Test func softmaxSumsToOneAndKeepsOrder() {
        let probabilities = Activation.softmax([1, 3, 2])
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-6)
        #expect(probabilities[1] > probabilities[2] && probabilities[2] > probabilities[0])
    }

    @Test func softmaxIsStableForLargeLogits() {
        let probabilities = Activation.softmax([1000, 1000])
        #expect(probabilities == [0.5, 0.5])
    }

    @Test func sigmoidOfZeroIsAHalf() {
        #expect(Activation.sigmoid(0) == 0.5)
        #expect(Activation.sigmoid(20) > 0.999)
    }
}
