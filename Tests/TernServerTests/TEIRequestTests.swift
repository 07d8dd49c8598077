import Foundation
import Hummingbird
import InferenceCore
import Testing

@testable import TernServer

@Suite struct TEIRequestTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try TEIBody.decode(type, from: ByteBuffer(string: json))
    }

    @Test func predictTakesAStringAPairOrABatch() throws {
        let single = try decode(TEIPredictRequest.self, #"{"inputs": "a"}"#)
        #expect(single.inputs == [.single("a")] && single.isSingle)
        let pair = try decode(TEIPredictRequest.self, #"{"inputs": ["a", "b"]}"#)
        #expect(pair.inputs == [.pair("a", "b")] && pair.isSingle)
        let one = try decode(TEIPredictRequest.self, #"{"inputs": ["a"]}"#)
        #expect(one.inputs == [.single("a")] && one.isSingle)
        let empty = try decode(TEIPredictRequest.self, #"{"inputs": []}"#)
        #expect(empty.inputs.isEmpty)
        let batch = try decode(TEIPredictRequest.self, #"{"inputs": [["a"], ["b", "c"]], "raw_scores": true}"#)
        #expect(batch.inputs == [.single("a"), .pair("b", "c")] && !batch.isSingle && batch.rawScores)
    }

    @Test func predictReadsThreeOrMoreStringsAsABatchOfSingleTexts() throws {
        let batch = try decode(TEIPredictRequest.self, #"{"inputs": ["a", "b", "c"]}"#)
        #expect(batch.inputs == [.single("a"), .single("b"), .single("c")] && !batch.isSingle)
        #expect(throws: TEIError.self) { try decode(TEIPredictRequest.self, #"{"inputs": [[]]}"#) }
    }

    @Test func predictTakesHuggingFaceParameters() throws {
        let plain = try decode(TEIPredictRequest.self, #"{"inputs": "a"}"#)
        #expect(!plain.huggingFaceParameters && plain.topK == nil && plain.functionToApply == nil)
        let hf = try decode(TEIPredictRequest.self, #"{"inputs": "a", "parameters": {"top_k": 2, "function_to_apply": "none"}}"#)
        #expect(hf.huggingFaceParameters && hf.topK == 2 && hf.functionToApply == ScoreFunction.none)
        #expect(throws: TEIError.self) { try decode(TEIPredictRequest.self, #"{"inputs": "a", "parameters": {"top_k": 0}}"#) }
        #expect(throws: TEIError.self) {
            try decode(TEIPredictRequest.self, #"{"inputs": "a", "parameters": {"function_to_apply": "relu"}}"#)
        }
        let softmax = ScoreFunction.softmax.apply([0, 0])
        #expect(softmax == [0.5, 0.5])
    }

    @Test func embedInputsMayBeASimilarityPair() throws {
        let parsed = try decode(TEIEmbedRequest.self, #"{"inputs": {"source_sentence": "s", "sentences": ["a", "b"]}}"#)
        #expect(parsed.similarity?.source == "s" && parsed.similarity?.sentences == ["a", "b"] && parsed.inputs.isEmpty)
        #expect(throws: TEIError.self) { try decode(TEIEmbedRequest.self, #"{"inputs": {"sentences": ["a"]}}"#) }
    }

    @Test func rerankTakesCohereShapedBodies() throws {
        let cohere = try decode(
            TEIRerankRequest.self, #"{"query": "q", "documents": ["a", {"text": "b"}], "top_n": 1, "return_documents": true}"#)
        #expect(cohere.cohereShape && cohere.texts == ["a", "b"] && cohere.topN == 1 && cohere.returnText)
        let tei = try decode(TEIRerankRequest.self, #"{"query": "q", "texts": ["a"]}"#)
        #expect(!tei.cohereShape && tei.topN == nil)
    }

    @Test func vertexInstancesAreKeptAsJSON() throws {
        let instances = try TEIVertexRequest.instances(in: ByteBuffer(string: #"{"instances": [{"inputs": "a"}, {"inputs": ["b", "c"]}]}"#))
        #expect(instances.count == 2)
        let again = try decode(TEIEmbedRequest.self, String(buffer: instances[1]))
        #expect(again.inputs == ["b", "c"])
        #expect(throws: TEIError.self) { try TEIVertexRequest.instances(in: ByteBuffer(string: #"{"instances": ["a"]}"#)) }
    }

    @Test func cohereEmbeddingTypesQuantizeTheNormalisedVector() throws {
        let parsed = try OpenAIBody.decode(
            CohereEmbedRequest.self,
            from: ByteBuffer(string: #"{"texts": ["a"], "embedding_types": ["int8", "ubinary"], "truncate": "START"}"#))
        #expect(parsed.embeddingTypes == [.int8, .ubinary])
        #expect(parsed.truncation == TruncationOptions(truncate: true, direction: .left))
        #expect(throws: OpenAIError.self) {
            try OpenAIBody.decode(CohereEmbedRequest.self, from: ByteBuffer(string: #"{"texts": ["a"], "truncate": "MIDDLE"}"#))
        }
        #expect(CohereEmbeddingsWriter.packedSigns([1, -1, 1, 0, 0, 0, 0, 0, 2]) == [0b1010_0000, 0b1000_0000])
        #expect(CohereEmbeddingsWriter.normalized([3, 4]) == [0.6, 0.8])
    }

    @Test func truncationDirectionIsCaseInsensitive() throws {
        let left = try decode(TEIEmbedRequest.self, #"{"inputs": "a", "truncate": true, "truncation_direction": "LEFT"}"#)
        #expect(left.truncation == TruncationOptions(truncate: true, direction: .left))
        let unset = try decode(TEIEmbedRequest.self, #"{"inputs": ["a"]}"#)
        #expect(unset.truncation == TruncationOptions())
        #expect(throws: TEIError.self) { try decode(TEIEmbedRequest.self, #"{"inputs": "a", "truncation_direction": "up"}"#) }
    }

    @Test func malformedBodiesAre422Validation() {
        for body in [#"{"#, #"{"texts": ["a"]}"#, #"{"query": 1, "texts": []}"#, #"[]"#] {
            let error = #expect(throws: TEIError.self) { try decode(TEIRerankRequest.self, body) }
            #expect(error?.status == .unprocessableContent, "\(body)")
            #expect(error?.kind == .validation, "\(body)")
        }
    }

    @Test func cohereDocumentsAreStringsOrObjects() throws {
        let parsed = try OpenAIBody.decode(
            CohereRerankRequest.self, from: ByteBuffer(string: #"{"query": "q", "documents": ["a", {"text": "b"}], "top_n": 1}"#))
        #expect(parsed.documents == ["a", "b"])
        #expect(parsed.topN == 1)
        #expect(throws: OpenAIError.self) {
            try OpenAIBody.decode(CohereRerankRequest.self, from: ByteBuffer(string: #"{"query": "q", "documents": [], "top_n": 0}"#))
        }
    }

    @Test func rankingIsByScoreThenInputOrder() {
        #expect(Ranking.order([0.1, 0.9, 0.5, 0.9]) == [1, 3, 2, 0])
    }
}
