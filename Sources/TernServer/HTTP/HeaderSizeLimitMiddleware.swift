import Hummingbird

/// Refuses a request whose header fields together exceed `--max-header-size` with 431 in the API's
/// error shape, before any route or body parsing runs. Size counts each field as it travels in HTTP/1
/// (`name: value` and CRLF), `Host` included. (The HTTP/1 parser itself refuses header blocks over twice
/// the limit, at least 80 KiB: see `TernApplication.make`.)
struct HeaderSizeLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int

    static var requestHeaderFieldsTooLarge: HTTPResponse.Status {
        HTTPResponse.Status(code: 431, reasonPhrase: "Request Header Fields Too Large")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let size = Self.size(of: request)
        guard size <= limit else {
            return APIShape(path: request.uri.path).errorResponse(
                Self.requestHeaderFieldsTooLarge,
                "the request's header fields take \(size) bytes, more than the limit of \(limit)",
                code: "headers_too_large", errorType: .validation)
        }
        return try await next(request, context)
    }

    /// Bytes of the header block: each field's name, value, `: ` and CRLF.
    static func size(of request: Request) -> Int {
        var size = 0
        for field in request.headers {
            size += field.name.rawName.utf8.count + field.value.utf8.count + 4
        }
        if let authority = request.head.authority { size += "Host".utf8.count + authority.utf8.count + 4 }
        return size
    }
}
