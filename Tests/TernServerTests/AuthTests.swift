import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TernServer

@Suite struct APIKeySetTests {
    let keys = APIKeySet(["alpha-key", "beta"])

    @Test func acceptsEachKeyExactly() {
        #expect(keys.contains("alpha-key".utf8))
        #expect(keys.contains("beta".utf8))
    }

    @Test func refusesPrefixesExtensionsAndNearMisses() {
        for presented in ["", "alpha", "alpha-key ", "alpha-keyx", "beta2", "bet", "Beta", "alpha-kez", "x"] {
            #expect(!keys.contains(presented.utf8), "\(presented)")
        }
    }

    @Test func emptyConfiguredKeysMatchNothing() {
        #expect(!APIKeySet([""]).contains("".utf8))
    }
}

@Suite struct BearerParsingTests {
    @Test func takesTheCredentialOfABearerHeader() {
        #expect(APIKeyMiddleware<TernRequestContext>.bearer("Bearer abc") == "abc")
        #expect(APIKeyMiddleware<TernRequestContext>.bearer("bearer  abc ") == "abc")
        #expect(APIKeyMiddleware<TernRequestContext>.bearer("BEARER abc") == "abc")
    }

    @Test func refusesOtherSchemesAndEmptyCredentials() {
        for header in [nil, "", "Bearer", "Bearer ", "Basic abc", "Bearerabc", "Token abc"] as [String?] {
            #expect(APIKeyMiddleware<TernRequestContext>.bearer(header) == nil, "\(header ?? "nil")")
        }
    }
}

@Suite struct RouteGroupTests {
    @Test func probesScrapesAndTheSpecAreTheirOwnGroups() {
        #expect(RouteGroup(path: "/health") == .health)
        #expect(RouteGroup(path: "/health/") == .health)
        #expect(RouteGroup(path: "/v2/health/live") == .health)
        #expect(RouteGroup(path: "/v2/health/ready") == .health)
        #expect(RouteGroup(path: "/metrics") == .metrics)
        #expect(RouteGroup(path: "/openapi.json") == .openAPI)
    }

    @Test func everythingElseIsInference() {
        for path in ["/", "/embed", "/v1/embeddings", "/v2", "/v2/models/m/infer", "/tokenize", "/healthz", "/v2/health"] {
            #expect(RouteGroup(path: path) == .inference, "\(path)")
        }
    }

    @Test func errorShapesFollowThePath() {
        #expect(APIShape(path: "/v1/embeddings") == .openAI)
        #expect(APIShape(path: "/v1") == .openAI)
        #expect(APIShape(path: "/v2/models/m") == .kserve)
        #expect(APIShape(path: "/v10") == .tei)
        #expect(APIShape(path: "/embed") == .tei)
    }
}

@Suite struct APIKeyMiddlewareTests {
    private func configuration(protectHealth: Bool = false) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.auth = AuthConfiguration(apiKeys: ["k1", "k2"], protectHealth: protectHealth)
        return configuration
    }

    private func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    @Test func missingAndWrongKeysGet401InEachAPIsShape() async throws {
        try await TestServer.run(configuration()) { client, _ in
            for authorization in [nil, "Bearer nope", "Basic k1"] as [String?] {
                var headers: HTTPFields = [:]
                if let authorization { headers[.authorization] = authorization }
                let openAI = try await client.execute(uri: "/v1/embeddings", method: .post, headers: headers, body: ByteBuffer(string: #"{"input":"a"}"#))
                #expect(openAI.status == .unauthorized)
                #expect(openAI.headers[.wwwAuthenticate] == "Bearer")
                let error = try #require(try json(openAI)["error"] as? [String: Any])
                #expect(error["code"] as? String == "invalid_api_key")
                #expect(error["type"] as? String == "invalid_request_error")

                let tei = try await client.execute(uri: "/embed", method: .post, headers: headers, body: ByteBuffer(string: #"{"inputs":"a"}"#))
                #expect(tei.status == .unauthorized)
                #expect(try json(tei)["error_type"] as? String == "Unauthorized")

                let kserve = try await client.execute(uri: "/v2/models/minilm", method: .get, headers: headers)
                #expect(kserve.status == .unauthorized)
                #expect(try Set(json(kserve).keys) == ["error"])
            }
        }
    }

    @Test func rightKeysPass() async throws {
        try await TestServer.run(configuration()) { client, _ in
            for key in ["k1", "k2"] {
                let response = try await client.execute(
                    uri: "/v1/embeddings", method: .post, headers: [.authorization: "Bearer \(key)"],
                    body: ByteBuffer(string: #"{"input":"a"}"#))
                #expect(response.status == .ok)
            }
        }
    }

    @Test func healthAndTheSpecAreOpenUnlessProtected() async throws {
        try await TestServer.run(configuration()) { client, _ in
            let health = try await client.execute(uri: "/health", method: .get)
            let spec = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(health.status == .ok && spec.status == .ok)
        }
        try await TestServer.run(configuration(protectHealth: true)) { client, _ in
            let without = try await client.execute(uri: "/health", method: .get)
            let with = try await client.execute(uri: "/health", method: .get, headers: [.authorization: "Bearer k1"])
            let spec = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(without.status == .unauthorized)
            #expect(with.status == .ok)
            #expect(spec.status == .ok)
        }
    }
}
