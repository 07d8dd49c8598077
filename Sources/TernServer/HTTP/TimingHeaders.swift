import HTTPTypes
import Hummingbird

/// Per-response headers describing the work done, as text-embeddings-inference sends them.
enum TimingHeaders {
    static let computeTokensName = HTTPField.Name("x-compute-tokens")!

    static func computeTokens(_ tokens: Int) -> HTTPFields {
        [computeTokensName: String(tokens)]
    }
}
