import Foundation
import NIOCore

/// The body of `POST /v1/rerank`, as Cohere and Jina define it.
struct CohereRerankRequest: Decodable {
    let model: String?
    let query: String
    let documents: [String]
    let topN: Int?
    let returnDocuments: Bool

    private enum CodingKeys: String, CodingKey {
        case model, query, documents
        case topN = "top_n"
        case returnDocuments = "return_documents"
    }

    /// A document is a string or `{"text": ...}`.
    private struct Document: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self.text = text
            } else {
                self.text = try decoder.container(keyedBy: Key.self).decode(String.self, forKey: .text)
            }
        }

        private enum Key: String, CodingKey { case text }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        query = try container.decode(String.self, forKey: .query)
        documents = try container.decode([Document].self, forKey: .documents).map(\.text)
        topN = try container.decodeIfPresent(Int.self, forKey: .topN)
        returnDocuments = try container.decodeIfPresent(Bool.self, forKey: .returnDocuments) ?? false
        if let topN, topN < 1 {
            throw OpenAIError.invalid("top_n must be at least 1", code: "invalid_top_n", param: "top_n")
        }
    }

    static func decode(from buffer: ByteBuffer) throws -> CohereRerankRequest {
        guard String(validating: buffer.readableBytesView, as: UTF8.self) != nil else {
            throw OpenAIError.invalid("the body is not valid UTF-8 JSON", code: "invalid_json")
        }
        do {
            return try JSONDecoder().decode(CohereRerankRequest.self, from: Data(buffer.readableBytesView))
        } catch let error as OpenAIError {
            throw error
        } catch let DecodingError.keyNotFound(key, _) {
            throw OpenAIError.invalid("'\(key.stringValue)' is required", code: "missing_field", param: key.stringValue)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.first?.stringValue
            throw OpenAIError.invalid("\(field.map { "'\($0)'" } ?? "the body") has the wrong type", code: "invalid_type", param: field)
        } catch {
            throw OpenAIError.invalid("the body is not valid JSON", code: "invalid_json")
        }
    }
}
