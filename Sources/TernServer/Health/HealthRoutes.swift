import Hummingbird

/// `GET /health`: 200 once the model is loaded and warmed, 503 while loading or draining.
struct HealthRoutes {
    let host: ModelHost

    func register(on router: Router<TernRequestContext>) {
        router.get("/health") { _, _ -> Response in
            switch host.current {
            case .ready: return JSONBody.response(.ok, #"{"status":"ok"}"#)
            case .loading: return JSONBody.response(.serviceUnavailable, #"{"status":"loading"}"#)
            case .draining: return JSONBody.response(.serviceUnavailable, #"{"status":"draining"}"#)
            }
        }
    }
}
