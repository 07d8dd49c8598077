import Foundation
import NIOCore

/// The body of `POST /v1/rerank` and `POST /v2/rerank`, as Cohere and Jina define it.
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

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        query = try container.decode(String.self, forKey: .query)
        documents = try container.decode([RerankDocument].self, forKey: .documents).map(\.text)
        topN = try container.decodeIfPresent(Int.self, forKey: .topN)
        returnDocuments = try container.decodeIfPresent(Bool.self, forKey: .returnDocuments) ?? false
        if let topN, topN < 1 {
            throw OpenAIError.invalid("top_n must be at least 1", code: "invalid_top_n", param: "top_n")
        }
    }
}

/// A document to rerank: a string or `{"text": ...}` (Cohere, Jina, Infinity).
struct RerankDocument: Decodable {
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

/// Cohere's rerank answer, `{"id", "model", "results": [{"index", "relevance_score", "document"?}], "meta",
/// "usage"}`: what Cohere's clients, Jina's and Infinity's read (and litellm for all three).
enum RerankResultsWriter {
    /// Where a returned document goes in each result.
    enum DocumentField {
        /// `"document": {"text": ...}`, as Cohere and Jina answer.
        case object
        /// `"text": ...` (TEI's name), on TEI's `/rerank`: litellm's `infinity/` provider reads `document` as a
        /// string (Infinity's answer) and its `hosted_vllm/` one as an object (vLLM's), both from the same
        /// request to `/rerank`, so the answer there names no `document` and both read it.
        case text
    }

    static func write(
        scores: [Float], documents: [String], topN: Int?, returnDocuments: Bool, model: String, tokens: Int,
        documentField: DocumentField = .object
    ) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"id":"#)
        JSONString.write(UUID().uuidString.lowercased(), to: &buffer)
        buffer.writeStaticString(#","model":"#)
        JSONString.write(model, to: &buffer)
        buffer.writeStaticString(#","results":["#)
        for (rank, index) in Ranking.order(scores).prefix(topN ?? scores.count).enumerated() {
            if rank > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString(#"{"index":"#)
            JSONNumbers.write(index, to: &buffer)
            buffer.writeStaticString(#","relevance_score":"#)
            JSONNumbers.write(scores[index], to: &buffer)
            if returnDocuments {
                switch documentField {
                case .object:
                    buffer.writeStaticString(#","document":{"text":"#)
                    JSONString.write(documents[index], to: &buffer)
                    buffer.writeStaticString("}")
                case .text:
                    buffer.writeStaticString(#","text":"#)
                    JSONString.write(documents[index], to: &buffer)
                }
            }
            buffer.writeStaticString("}")
        }
        // `prompt_tokens` beside `total_tokens`: Infinity's usage, which litellm's `infinity/` provider reads.
        buffer.writeStaticString(#"],"meta":{"billed_units":{"search_units":1}},"usage":{"prompt_tokens":"#)
        JSONNumbers.write(tokens, to: &buffer)
        buffer.writeStaticString(#","total_tokens":"#)
        JSONNumbers.write(tokens, to: &buffer)
        buffer.writeStaticString("}}")
        return buffer
    }
}
