import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TernServer

@Suite struct OpenAIRoutesTests {
    private func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    /// The OpenAI error object of a response, after checking its status.
    private func errorObject(_ response: TestResponse, status: HTTPResponse.Status) throws -> [String: Any] {
        #expect(response.status == status)
        #expect(response.headers[.contentType] == "application/json")
        let body = try json(response.body)
        let error = try #require(body["error"] as? [String: Any])
        #expect(Set(error.keys) == ["message", "type", "param", "code"])
        return error
    }

    private func post(_ client: some TestClientProtocol, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/embeddings", method: .post, body: ByteBuffer(string: body))
    }

    @Test func embeddingsInOpenAIsShape() async throws {
        try await TestServer.run { client, _ in
            let response = try await post(client, #"{"input": ["hello", "world"], "model": "whatever"}"#)
            #expect(response.status == .ok)
            let body = try json(response.body)
            #expect(body["object"] as? String == "list")
            #expect(body["model"] as? String == "whatever")
            let data = try #require(body["data"] as? [[String: Any]])
            #expect(data.map { $0["index"] as? Int } == [0, 1])
            #expect(data.allSatisfy { ($0["embedding"] as? [Double])?.count == 384 && $0["object"] as? String == "embedding" })
            let usage = try #require(body["usage"] as? [String: Int])
            #expect(usage == ["prompt_tokens": 6, "total_tokens": 6])
        }
    }

    @Test func modelDefaultsToTheServedModelsName() async throws {
        try await TestServer.run { client, _ in
            let body = try json(try await post(client, #"{"input": "hi"}"#).body)
            #expect(body["model"] as? String == "minilm")
        }
    }

    @Test func base64IsLittleEndianFloat32() async throws {
        try await TestServer.run { client, _ in
            let floats = try json(try await post(client, #"{"input": "hi"}"#).body)
            let encoded = try json(try await post(client, #"{"input": "hi", "encoding_format": "base64"}"#).body)
            let vector = try #require(((floats["data"] as? [[String: Any]])?[0]["embedding"]) as? [Double])
            let text = try #require(((encoded["data"] as? [[String: Any]])?[0]["embedding"]) as? String)
            let bytes = try #require(Data(base64Encoded: text))
            #expect(bytes.count == 384 * 4)
            let decoded = (0..<384).map { i in
                Float(bitPattern: bytes[(i * 4)..<(i * 4 + 4)].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) })
            }
            #expect(zip(decoded, vector).allSatisfy { $0 == Float($1) })
        }
    }

    static let badRequests: [(body: String, code: String, param: String?)] = [
        (#"{bad"#, "invalid_json", nil as String?),
        (#"[1, 2]"#, "invalid_type", nil),
        (#"{"model": "m"}"#, "missing_field", "input"),
        (#"{"input": null}"#, "missing_field", "input"),
        (#"{"input": 5}"#, "invalid_type", "input"),
        (#"{"input": [1.5]}"#, "invalid_type", "input"),
        (#"{"input": ["a", 1]}"#, "invalid_type", "input"),
        (#"{"input": []}"#, "empty_input", "input"),
        (#"{"input": ""}"#, "empty_input", "input"),
        (#"{"input": [[]]}"#, "empty_input", "input"),
        (#"{"input": [101, 999999]}"#, "invalid_token_id", "input"),
        (#"{"input": "x", "dimensions": 0}"#, "invalid_dimensions", "dimensions"),
        (#"{"input": "x", "dimensions": 385}"#, "invalid_dimensions", "dimensions"),
        (#"{"input": "x", "dimensions": "x"}"#, "invalid_type", "dimensions"),
        (#"{"input": "x", "dimensions": 1.5}"#, "invalid_type", "dimensions"),
        (#"{"input": "x", "model": 5}"#, "invalid_type", "model"),
        (#"{"input": "x", "encoding_format": "int8"}"#, "invalid_encoding_format", "encoding_format"),
    ]

    @Test func badRequestsGet400() async throws {
        try await TestServer.run { client, _ in
            for (body, code, param) in Self.badRequests {
                let error = try errorObject(try await post(client, body), status: .badRequest)
                #expect(error["code"] as? String == code, "\(body)")
                #expect(error["type"] as? String == "invalid_request_error", "\(body)")
                #expect(error["param"] as? String == param, "\(body)")
            }
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test func limitsGet413() async throws {
        try await TestServer.run(ServerConfiguration(maxBodySize: 200, maxInputs: 2)) { client, _ in
            let tooMany = try errorObject(try await post(client, #"{"input": ["a", "b", "c"]}"#), status: .contentTooLarge)
            #expect(tooMany["code"] as? String == "too_many_inputs")
            #expect(try await post(client, #"{"input": ["a", "b"]}"#).status == .ok)
            let big = "{\"input\": \"\(String(repeating: "x", count: 300))\"}"
            let tooBig = try errorObject(try await post(client, big), status: .contentTooLarge)
            #expect(tooBig["code"] as? String == "body_too_large")
        }
    }

    @Test func unknownRoutesAndMethodsUseTheSameShape() async throws {
        try await TestServer.run { client, _ in
            let missing = try errorObject(try await client.execute(uri: "/nope", method: .get), status: .notFound)
            #expect(missing["code"] as? String == "not_found")
            let models = try await client.execute(uri: "/v1/models", method: .get)
            let list = try json(models.body)
            #expect((list["data"] as? [[String: Any]])?.first?["id"] as? String == "minilm")
        }
    }

    @Test func healthIsOkWhenReady() async throws {
        try await TestServer.run { client, _ in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            #expect(String(buffer: health.body) == #"{"status":"ok"}"#)
        }
    }
}
