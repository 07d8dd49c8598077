import Hummingbird

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
