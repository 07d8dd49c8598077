import HTTPTypes
import Hummingbird

/// When a request stops waiting: now plus its `X-Request-Timeout` header (seconds), else the default.
enum RequestDeadline {
    static let header = HTTPField.Name("X-Request-Timeout")!

    /// A header value that is not a positive number of seconds.
    struct InvalidTimeout: Error {
        let value: String
    }

    static func deadline(for request: Request, default timeout: Duration) throws -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        guard let value = request.headers[header] else { return now + timeout }
        guard let seconds = Double(value), seconds > 0, seconds.isFinite, seconds <= 86_400 else {
            throw InvalidTimeout(value: value)
        }
        return now + .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}
