import HTTPTypes
import Tracing

/// Reads trace-context headers (W3C `traceparent`, `tracestate`) from a request for the tracer.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        guard let name = HTTPField.Name(key) else { return nil }
        return fields[name]
    }
}
