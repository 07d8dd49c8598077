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

    @Test func predictRefusesThreeStringsOrAnEmptyBatchItem() {
        #expect(throws: TEIError.self) { try decode(TEIPredictRequest.self, #"{"inputs": ["a", "b", "c"]}"#) }
        #expect(throws: TEIError.self) { try decode(TEIPredictRequest.self, #"{"inputs": [[]]}"#) }
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
