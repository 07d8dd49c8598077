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

    /// An error response in this API's shape, rendered by that API's error type.
    /// - Parameters:
    ///   - code: OpenAI's `code` (`type` follows the status: `invalid_request_error` below 500).
    ///   - errorType: TEI's `error_type`.
    func errorResponse(
        _ status: HTTPResponse.Status, _ message: String, code: String, errorType: TEIError.Kind, headers: HTTPFields = [:]
    ) -> Response {
        switch self {
        case .openAI:
            var error = OpenAIError(status, message, code: code)
            error.headers = headers
            return error.response()
        case .kserve:
            return KServeError(status, message).response(headers: headers)
        case .tei:
            return TEIError(status, errorType, message).response(headers: headers)
        }
    }
}
