import Foundation
import Hummingbird

/// The OpenAPI 3.1 description of every route, served by `GET /openapi.json`. Built once, from one
/// fragment per API (`OpenAPIDocument+OpenAI.swift`, `+TEI`, `+KServe`, `+Common`).
enum OpenAPIDocument {
    /// The document's JSON, keys sorted; built on first use.
    static let bytes: [UInt8] = {
        do {
            return try build()
        } catch {
            // The fragments are constants checked by OpenAPIDocumentTests; this cannot happen in a tested build.
            return Array(#"{"openapi":"3.1.0","info":{"title":"tern","version":"unknown"},"paths":{}}"#.utf8)
        }
    }()

    /// Every path with its operations.
    static var paths: [String: [String: OpenAPIOperation]] {
        var all = commonPaths
        for group in [openAIPaths, teiPaths, kservePaths] {
            all.merge(group) { first, _ in first }
        }
        return all
    }

    static func build() throws -> [UInt8] {
        var schemas: [String: Any] = [:]
        for fragment in [commonSchemas, openAISchemas, teiSchemas, kserveSchemas] {
            guard let object = try JSONSerialization.jsonObject(with: Data(fragment.utf8)) as? [String: Any] else {
                throw InvalidFragment()
            }
            schemas.merge(object) { first, _ in first }
        }
        var renderedPaths: [String: Any] = [:]
        for (path, operations) in paths {
            var item: [String: Any] = [:]
            for (method, operation) in operations {
                let text = operation.json(operationID: operationID(method: method, path: path))
                item[method] = try JSONSerialization.jsonObject(with: Data(text.utf8))
            }
            renderedPaths[path] = item
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "tern",
                "version": TernVersion.current,
                "description": "OpenAI, Cohere, text-embeddings-inference and KServe v2 APIs over ONNX models. "
                    + "When API keys are configured, operations marked with bearerAuth need "
                    + "'Authorization: Bearer KEY'.",
            ] as [String: String],
            "paths": renderedPaths,
            "components": [
                "schemas": schemas,
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer"]],
            ] as [String: Any],
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        return Array(data)
    }

    /// `post /v1/embeddings` is `post_v1_embeddings`.
    static func operationID(method: String, path: String) -> String {
        let words = path.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return ([method] + words.map(String.init)).joined(separator: "_")
    }

    struct InvalidFragment: Error {}
}

/// `GET /openapi.json`: the OpenAPI description of every route, served from memory.
struct OpenAPIRoutes {
    /// Shared by every response (copy-on-write, so never copied).
    static let body = ByteBuffer(bytes: OpenAPIDocument.bytes)

    func register(on router: Router<TernRequestContext>) {
        router.get("/openapi.json") { _, _ -> Response in
            JSONBody.response(.ok, buffer: Self.body)
        }
    }
}
