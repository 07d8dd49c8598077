import Foundation
import Testing

@testable import TernServer

@Suite struct OpenAPIDocumentTests {
    private func document() throws -> [String: Any] {
        let bytes = try OpenAPIDocument.build()
        return try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func buildsFromItsFragments() throws {
        let document = try document()
        #expect(document["openapi"] as? String == "3.1.0")
        #expect(OpenAPIDocument.bytes == (try OpenAPIDocument.build()))
    }

    @Test func everyReferenceResolves() throws {
        let document = try document()
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        var references: Set<String> = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["$ref"] as? String { references.insert(reference) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(document)
        #expect(!references.isEmpty)
        for reference in references {
            let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
            #expect(schemas[name] != nil, "\(reference)")
        }
    }

    @Test func everyOperationDocumentsItsErrors() throws {
        let paths = try #require(try document()["paths"] as? [String: [String: [String: Any]]])
        for (path, operations) in paths {
            for (method, operation) in operations {
                let responses = try #require(operation["responses"] as? [String: Any])
                #expect(responses["200"] != nil && responses["431"] != nil, "\(method) \(path)")
                let guarded = RouteGroup(path: path.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")) == .inference
                // Health probes answer 401 under --auth-health, /metrics under --auth-metrics.
                let probe = ["/health", "/ping", "/metrics"].contains(path)
                #expect((responses["401"] != nil) == (guarded || probe), "\(method) \(path)")
            }
        }
    }

    @Test func operationIDsAreUnique() {
        var seen: Set<String> = []
        for (path, operations) in OpenAPIDocument.paths {
            for method in operations.keys {
                #expect(seen.insert(OpenAPIDocument.operationID(method: method, path: path)).inserted, "\(method) \(path)")
            }
        }
    }
}
