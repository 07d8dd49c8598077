import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TernServer

@Suite struct InputLengthLimitTests {
    let limit = InputLengthLimit(limit: 5)

    @Test func countsUnicodeScalarsNotBytes() {
        #expect(limit.firstViolation(["abcde", "ééééé", "🦜🦜🦜🦜🦜"]) == nil)
        #expect(limit.firstViolation(["ok", "éééééé"]) == InputLengthLimit.Violation(index: 1, length: 6))
        #expect(limit.firstViolation(["abcdef"]) == InputLengthLimit.Violation(index: 0, length: 6))
    }

    @Test func tokenIdsAreNotCharacters() {
        #expect(limit.firstViolation([.tokens(Array(repeating: 1, count: 100)), .text("abc")]) == nil)
        #expect(limit.firstViolation([.tokens([1]), .text("abcdef")])?.index == 1)
    }

    @Test func pairsCountEachText() {
        #expect(limit.firstViolation([.pair("abcde", "fghij")]) == nil)
        #expect(limit.firstViolation([.single("a"), .pair("a", "abcdef")]) == InputLengthLimit.Violation(index: 1, length: 6))
    }
}

@Suite struct HeaderSizeLimitTests {
    private func configuration(maxHeaderSize: Int) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.maxHeaderSize = maxHeaderSize
        return configuration
    }

    @Test func headersOverTheLimitGet431InTheAPIsShape() async throws {
        try await TestServer.run(configuration(maxHeaderSize: 256)) { client, _ in
            let small: HTTPFields = [.userAgent: String(repeating: "p", count: 10)]
            let large: HTTPFields = [.userAgent: String(repeating: "p", count: 300)]
            #expect(try await client.execute(uri: "/v1/models", method: .get, headers: small).status == .ok)
            let openAI = try await client.execute(uri: "/v1/models", method: .get, headers: large)
            #expect(openAI.status.code == 431)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(openAI.body.readableBytesView)) as? [String: Any])
            #expect((body["error"] as? [String: Any])?["code"] as? String == "headers_too_large")
            let tei = try await client.execute(uri: "/info", method: .get, headers: large)
            #expect(tei.status.code == 431)
            let teiBody = try #require(try JSONSerialization.jsonObject(with: Data(tei.body.readableBytesView)) as? [String: Any])
            #expect(teiBody["error_type"] as? String == "Validation")
        }
    }

    @Test func charactersOverTheLimitGet413() async throws {
        var configuration = ServerConfiguration()
        configuration.maxInputChars = 8
        try await TestServer.run(configuration) { client, _ in
            let under = try await client.execute(uri: "/embed", method: .post, body: ByteBuffer(string: #"{"inputs":"12345678"}"#))
            #expect(under.status == .ok)
            let over = try await client.execute(uri: "/embed", method: .post, body: ByteBuffer(string: #"{"inputs":"123456789"}"#))
            #expect(over.status == .contentTooLarge)
            let openAI = try await client.execute(uri: "/v1/embeddings", method: .post, body: ByteBuffer(string: #"{"input":["a","123456789"]}"#))
            #expect(openAI.status == .contentTooLarge)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(openAI.body.readableBytesView)) as? [String: Any])
            #expect((body["error"] as? [String: Any])?["code"] as? String == "input_too_long")
        }
    }
}
