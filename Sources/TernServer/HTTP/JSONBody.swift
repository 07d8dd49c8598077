import Hummingbird

/// Responses whose JSON body is already written.
enum JSONBody {
    static let contentType = "application/json"

    static func response(_ status: HTTPResponse.Status, _ json: String) -> Response {
        response(status, buffer: ByteBuffer(string: json))
    }

    static func response(_ status: HTTPResponse.Status, buffer: ByteBuffer, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}
