import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TernServer

/// Request ids and TEI's timing headers on real responses of every API, errors included.
@Suite struct TimingHeadersRouteTests {
    private let timingNames = [
        "x-total-time", "x-tokenization-time", "x-queue-time", "x-inference-time", "x-compute-tokens",
    ]

    private func header(_ response: TestResponse, _ name: String) -> String? {
        HTTPField.Name(name).flatMap { response.headers[$0] }
    }

    private func expectTimings(_ response: TestResponse, tokens: Int) throws {
        for name in timingNames {
            let value = try #require(header(response, name), "\(name) missing")
            #expect(Int(value) != nil, "\(name): \(value)")
        }
        #expect(header(response, "x-compute-tokens") == String(tokens))
        let total = try #require(Int(header(response, "x-total-time") ?? ""))
        let parts = ["x-tokenization-time", "x-queue-time", "x-inference-time"].compactMap {
            Int(header(response, $0) ?? "")
        }
        #expect(parts.reduce(0, +) <= total + 2)
    }

    @Test func inferenceResponsesOfEveryAPICarryTimingsAndAnID() async throws {
        try await TestServer.run { client, _ in
            let openAI = try await client.execute(
                uri: "/v1/embeddings", method: .post, body: ByteBuffer(string: #"{"input": ["hello", "world"]}"#))
            #expect(openAI.status == .ok)
            try expectTimings(openAI, tokens: 6)
            #expect(header(openAI, "x-request-id")?.count == 32)

            let tei = try await client.execute(
                uri: "/embed", method: .post, headers: [HTTPField.Name("x-request-id")!: "client-id-1"],
                body: ByteBuffer(string: #"{"inputs": "hello"}"#))
            #expect(tei.status == .ok)
            try expectTimings(tei, tokens: 3)
            #expect(header(tei, "x-request-id") == "client-id-1")
        }
    }

    @Test func errorsAndNonInferenceRoutesCarryAnIDButNoTimings() async throws {
        try await TestServer.run { client, _ in
            let invalid = try await client.execute(
                uri: "/v1/embeddings", method: .post, headers: [HTTPField.Name("x-request-id")!: "bad id with spaces"],
                body: ByteBuffer(string: #"{"input": 5}"#))
            #expect(invalid.status == .badRequest)
            let id = try #require(header(invalid, "x-request-id"))
            #expect(id != "bad id with spaces" && id.count == 32)
            let body = try #require(
                JSONSerialization.jsonObject(with: Data(invalid.body.readableBytesView)) as? [String: Any])
            #expect(body["error"] != nil)
            #expect(header(invalid, "x-inference-time") == nil)

            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            #expect(header(health, "x-request-id")?.count == 32)
            #expect(header(health, "x-total-time") == nil)

            let missing = try await client.execute(uri: "/nowhere", method: .get)
            #expect(missing.status == .notFound)
            #expect(header(missing, "x-request-id")?.count == 32)
        }
    }
}
