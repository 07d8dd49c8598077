import ArgumentParser
import Foundation

/// How `tern serve` reports on itself: log format, a second metrics listener, trace export.
struct TelemetrySettings {
    /// How log lines are written.
    enum LogFormat: String, CaseIterable, ExpressibleByArgument {
        /// swift-log's plain text lines.
        case text
        /// One JSON object per line.
        case json
    }

    var logFormat: LogFormat = .text
    /// A second port serving only `GET /metrics`; nil: `/metrics` on the main port only.
    var metricsPort: Int?
    /// OTLP/HTTP collector base URL (`http://collector:4318`); spans go to `<url>/v1/traces`. nil: no tracing.
    var otlpEndpoint: String?

    /// The OTLP/HTTP traces URL for a collector base URL (one already ending in `/v1/traces` is kept).
    static func tracesURL(_ endpoint: String) -> String {
        if endpoint.hasSuffix("/v1/traces") { return endpoint }
        return endpoint.hasSuffix("/") ? "\(endpoint)v1/traces" : "\(endpoint)/v1/traces"
    }

    /// Whether `endpoint` is an http(s) URL with a host.
    static func isValidEndpoint(_ endpoint: String) -> Bool {
        guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(), url.host != nil else {
            return false
        }
        return scheme == "http" || scheme == "https"
    }
}
