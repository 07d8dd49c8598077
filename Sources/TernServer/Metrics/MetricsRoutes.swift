import Hummingbird

/// `GET /metrics`: whatever the process's metrics backend renders, in Prometheus' text format.
/// The server does not know the backend; the executable hands in the renderer.
struct MetricsRoutes {
    let render: @Sendable () -> [UInt8]

    func register(on router: Router<TernRequestContext>) {
        router.get("/metrics") { _, _ -> Response in
            ProcessMemory.update()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: render()))
            )
        }
    }
}
