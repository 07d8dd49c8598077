import HTTPTypes
import Hummingbird
import InferenceCore
import Scheduler

/// Per-response headers describing the work done, as text-embeddings-inference sends them: whole
/// milliseconds for each phase, and the tokens computed.
enum TimingHeaders {
    static let computeTokensName = HTTPField.Name("x-compute-tokens")!
    static let totalTimeName = HTTPField.Name("x-total-time")!
    static let tokenizationTimeName = HTTPField.Name("x-tokenization-time")!
    static let queueTimeName = HTTPField.Name("x-queue-time")!
    static let inferenceTimeName = HTTPField.Name("x-inference-time")!

    static func computeTokens(_ tokens: Int) -> HTTPFields {
        [computeTokensName: String(tokens)]
    }

    /// Adds the timing headers of a request that reached a model (and `x-compute-tokens` where the
    /// route did not set it).
    static func add(_ timings: RequestTimings, total: Duration, to headers: inout HTTPFields) {
        headers[totalTimeName] = milliseconds(total)
        headers[tokenizationTimeName] = milliseconds(timings.tokenization)
        headers[queueTimeName] = milliseconds(timings.queue)
        headers[inferenceTimeName] = milliseconds(timings.inference)
        if headers[computeTokensName] == nil { headers[computeTokensName] = String(timings.tokens) }
    }

    /// Whole milliseconds, rounded down, as TEI writes them.
    static func milliseconds(_ duration: Duration) -> String {
        String(max(0, duration.wholeNanoseconds / 1_000_000))
    }
}
