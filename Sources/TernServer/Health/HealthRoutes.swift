import Hummingbird
import Serving

/// `GET /health`: 200 once every model is loaded and warmed, 503 while any is loading or draining.
struct HealthRoutes {
    let registry: ModelRegistry

    func register(on router: Router<TernRequestContext>) {
        router.get("/health") { _, _ -> Response in
            var loading = false
            var draining = false
            for host in registry.hosts {
                switch host.current {
                case .ready: continue
                case .loading: loading = true
                case .draining: draining = true
                }
            }
            for host in registry.imageHosts {
                switch host.current {
                case .ready: continue
                case .loading: loading = true
                case .draining: draining = true
                }
            }
            if draining { return JSONBody.response(.serviceUnavailable, #"{"status":"draining"}"#) }
            // Repository models (--model-repository) count too: ok only once they are loaded.
            if !registry.isReady { loading = true }
            return loading
                ? JSONBody.response(.serviceUnavailable, #"{"status":"loading"}"#)
                : JSONBody.response(.ok, #"{"status":"ok"}"#)
        }
    }
}
