import Hummingbird

/// The API a path belongs to, which decides the shape of its errors: OpenAI's on `/v1/*` (and Cohere's v2 routes),
/// KServe v2's `{"error": "..."}` on the rest of `/v2/*`, text-embeddings-inference's on everything else. Used for errors raised
/// before a route runs (API keys, header limits).
enum APIShape: Equatable {
    case openAI
    case kserve
    case tei

    /// Paths outside `/v1` whose routes answer in OpenAI's shape: Cohere's v2 routes and OpenAI's body at `/embeddings`.
    static let openAIPaths: Set<String> = ["/v2/rerank", "/v2/embed", "/embeddings"]

    init(path: String) {
        if path == "/v1" || path.hasPrefix("/v1/") || Self.openAIPaths.contains(path) {
            self = .openAI
        } else if path == "/v2" || path.hasPrefix("/v2/") {
            self = .kserve
        } else {
            self = .tei
        }
    }

    /// An error response in this API's shape.
    /// - Parameters:
    ///   - code: OpenAI's `code` (`type` follows the status: `invalid_request_error` below 500).
    ///   - errorType: TEI's `error_type`.
    func errorResponse(
        _ status: HTTPResponse.Status, _ message: String, code: String, errorType: String, headers: HTTPFields = [:]
    ) -> Response {
        var buffer = ByteBuffer()
        switch self {
        case .openAI:
            buffer.writeStaticString(#"{"error":{"message":"#)
            JSONString.write(message, to: &buffer)
            buffer.writeStaticString(#","type":"#)
            JSONString.write(status.code >= 500 ? "server_error" : "invalid_request_error", to: &buffer)
            buffer.writeStaticString(#","param":null,"code":"#)
            JSONString.write(code, to: &buffer)
            buffer.writeStaticString("}}")
        case .kserve:
            buffer.writeStaticString(#"{"error":"#)
            JSONString.write(message, to: &buffer)
            buffer.writeStaticString("}")
        case .tei:
            buffer.writeStaticString(#"{"error":"#)
            JSONString.write(message, to: &buffer)
            buffer.writeStaticString(#","error_type":"#)
            JSONString.write(errorType, to: &buffer)
            buffer.writeStaticString("}")
        }
        return JSONBody.response(status, buffer: buffer, headers: headers)
    }
}
