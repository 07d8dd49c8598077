import Foundation

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
}
