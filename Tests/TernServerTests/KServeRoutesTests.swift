import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InferenceCore
import Logging
@testable import Serving
import Testing

@testable import TernServer

/// The v2 routes through the real router (with the global OpenAI error middleware) over a registry of tiny
/// v2 models (`scripts/make-v2-test-models`).
@Suite struct KServeRoutesTests {
    private func withRouter(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let root = try ModelRegistryTests.repository(["identity_fp32", "add_sub", "identity_bytes"])
        try await ModelRegistryTests.withRegistry(root) { registry in
            let router = TernApplication.makeRouter(configuration: ServerConfiguration(maxBodySize: 4096), registry: registry)
            try await Application(router: router).test(.router) { client in try await body(client) }
        }
    }

    private func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test func errorsUnderV2KeepTheV2ShapeThroughTheGlobalMiddleware() async throws {
        try await withRouter { client in
            for (uri, method, status) in [
                ("/v2/models/nope", HTTPRequest.Method.get, HTTPResponse.Status.notFound),
                ("/v2/models/nope/infer", .post, .notFound),
                ("/v2/no/such/route", .get, .notFound),
                ("/v2/models/add_sub/infer", .post, .badRequest),
            ] {
                let response = try await client.execute(uri: uri, method: method, body: ByteBuffer(string: "{"))
                #expect(response.status == status, "\(uri)")
                let body = try json(response)
                #expect(Array(body.keys) == ["error"] && body["error"] is String, "\(uri): \(body)")
            }
        }
    }

    @Test func jsonInferenceAndOutputSubset() async throws {
        try await withRouter { client in
            let body = #"{"id":"7","inputs":[{"name":"a","datatype":"FP32","shape":[1,4],"data":[1,2,3,4]},"#
                + #"{"name":"b","datatype":"FP32","shape":[1,4],"data":[[1,1,1,1]]}],"outputs":[{"name":"diff"}]}"#
            let response = try await client.execute(uri: "/v2/models/add_sub/infer", method: .post, body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let decoded = try json(response)
            #expect(decoded["id"] as? String == "7" && decoded["model_name"] as? String == "add_sub")
            let outputs = try #require(decoded["outputs"] as? [[String: Any]])
            #expect(outputs.count == 1 && outputs[0]["name"] as? String == "diff")
            #expect(outputs[0]["data"] as? [Double] == [0, 1, 2, 3])
        }
    }

    @Test func binaryInferenceOfStrings() async throws {
        try await withRouter { client in
            let payload = KServeTestSupport.framed([Array("ab".utf8), [], Array("üx".utf8)])
            let header = #"{"inputs":[{"name":"INPUT0","datatype":"BYTES","shape":[1,3],"parameters":{"binary_data_size":\#(payload.count)}}],"#
                + #""parameters":{"binary_data_output":true}}"#
            var body = ByteBuffer(string: header)
            body.writeBytes(payload)
            let headers: HTTPFields = [InferResponseEncoder.headerLengthName: String(header.utf8.count)]
            let response = try await client.execute(uri: "/v2/models/identity_bytes/infer", method: .post, headers: headers, body: body)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/octet-stream")
            let length = try #require(response.headers[InferResponseEncoder.headerLengthName].flatMap { Int($0) })
            let bytes = Array(response.body.readableBytesView)
            #expect(Array(bytes[length...]) == payload)
        }
    }

    @Test func metadataAndHealth() async throws {
        try await withRouter { client in
            #expect(try await client.execute(uri: "/v2/health/live", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/v2/health/ready", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/v2/models/add_sub/ready", method: .get).status == .ok)
            let metadata = try json(try await client.execute(uri: "/v2/models/identity_fp32", method: .get))
            let inputs = try #require(metadata["inputs"] as? [[String: Any]])
            #expect(inputs.first?["shape"] as? [Int] == [-1, 3] && inputs.first?["datatype"] as? String == "FP32")
            let server = try json(try await client.execute(uri: "/v2", method: .get))
            #expect(server["name"] as? String == "tern")
        }
    }
}
