/// One operation of the OpenAPI document, rendered as JSON text: its success response, the error
/// statuses it can answer in its API's error shape, and whether it needs an API key.
struct OpenAPIOperation {
    var summary: String
    var tag: String
    /// Schema name of the JSON request body, if any.
    var request: String?
    /// The 200 response's content: a schema name for JSON, or a full content object.
    var response: Response
    /// Schema name of the error body (`OpenAIError`, `TEIError`, `KServeError`).
    var errorSchema: String
    /// Error statuses besides 401 and 431, which every operation can answer.
    var errors: [Int]
    /// Whether API keys (when configured) guard it.
    var secured = true
    /// Path parameters (all strings).
    var parameters: [String] = []
    /// Responses with a body other than the error schema, by status (`/health`'s 503).
    var otherResponses: [Int: String] = [:]
    /// Other request media types and their schema (JSON text): an image model's `/predict` takes the image itself.
    var requestAlternatives: [(media: String, schema: String)] = []
    /// Other 200 media types and their schema (JSON text): an image model's depth PNG.
    var responseAlternatives: [(media: String, schema: String)] = []

    enum Response {
        case json(String)
        case text(String)
        case empty
    }

    func json(operationID: String) -> String {
        var fields = [
            #""operationId": "\#(operationID)""#,
            #""summary": "\#(summary)""#,
            #""tags": ["\#(tag)"]"#,
        ]
        if secured { fields.append(#""security": [{}, {"bearerAuth": []}]"#) }
        if !parameters.isEmpty {
            let items = parameters.map {
                #"{"name": "\#($0)", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}}"#
            }
            fields.append(#""parameters": [\#(items.joined(separator: ", "))]"#)
        }
        if let request {
            let contents = [#""application/json": {"schema": \#(Self.ref(request))}"#]
                + requestAlternatives.map { #""\#($0.media)": {"schema": \#($0.schema)}"# }
            fields.append(#""requestBody": {"required": true, "content": {\#(contents.joined(separator: ", "))}}"#)
        }
        var responses: [String] = []
        switch response {
        case .json(let schema):
            let contents = [#""application/json": {"schema": \#(Self.ref(schema))}"#]
                + responseAlternatives.map { #""\#($0.media)": {"schema": \#($0.schema)}"# }
            responses.append(#""200": {"description": "OK", "content": {\#(contents.joined(separator: ", "))}}"#)
        case .text(let mediaType):
            responses.append(
                #""200": {"description": "OK", "content": {"\#(mediaType)": {"schema": {"type": "string"}}}}"#)
        case .empty:
            responses.append(#""200": {"description": "OK"}"#)
        }
        var codes = Set(errors).union([431])
        if secured { codes.insert(401) }
        for code in codes.union(otherResponses.keys).sorted() {
            let schema = otherResponses[code] ?? errorSchema
            responses.append(
                #""\#(code)": {"description": "\#(Self.reason(code))", "#
                    + #""content": {"application/json": {"schema": \#(Self.ref(schema))}}}"#
            )
        }
        fields.append(#""responses": {\#(responses.joined(separator: ", "))}"#)
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// A reference to a schema of the document's components.
    static func ref(_ schema: String) -> String {
        ##"{"$ref": "#/components/schemas/\##(schema)"}"##
    }

    static func reason(_ code: Int) -> String {
        switch code {
        case 400: "Bad request"
        case 401: "Missing or invalid API key (with WWW-Authenticate: Bearer)"
        case 404: "No such model"
        case 406: "Accept allows none of the answer's media types"
        case 413: "Body, inputs or an input over a limit"
        case 415: "Not an image format or upload form Tern decodes"
        case 422: "Malformed body"
        case 424: "The model cannot serve this route, or failed"
        case 429: "Overloaded (with Retry-After)"
        case 431: "Header fields over --max-header-size"
        case 500: "Internal error"
        case 503: "Model loading or server draining"
        case 504: "Request timeout"
        default: "Error"
        }
    }
}
