import Foundation
import Hummingbird
import InferenceCore
@testable import Serving
import Testing

@testable import TernServer

@Suite struct KServeErrorTests {
    @Test func lookupAndRepositoryErrorsTakeTritonsStatuses() {
        #expect(KServeError(wrapping: ModelLookupError(.notFound, message: "x")).status == .notFound)
        #expect(KServeError(wrapping: ModelLookupError(.notReady, message: "x")).status == .serviceUnavailable)
        #expect(KServeError(wrapping: RepositoryError(.notFound, message: "x")).status == .notFound)
        #expect(KServeError(wrapping: RepositoryError(.invalidName, message: "x")).status == .badRequest)
        #expect(KServeError(wrapping: RepositoryError(.loadFailed, message: "bad file")) == KServeError(.badRequest, "bad file"))
        #expect(KServeError(wrapping: RepositoryError(.unavailable, message: "x")).status == .serviceUnavailable)
        #expect(KServeError(wrapping: RepositoryError(.noRepository, message: "x")).status == .badRequest)
        #expect(KServeError(wrapping: BodyTooLargeError(limit: 10)).status == .badRequest)
        #expect(KServeError(wrapping: HostUnavailable.draining).status == .serviceUnavailable)
        #expect(KServeError(wrapping: CancellationError()).status == .internalServerError)
    }
}
