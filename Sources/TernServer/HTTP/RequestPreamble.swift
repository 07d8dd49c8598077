import HTTPTypes
import Hummingbird
import InferenceCore
import NIOCore

/// What every inference route does before it runs a model, the same way on every API: read the request's
/// deadline and its body (refusing one over the limit before reading it), then check the inputs against
/// the count and length limits. Failures are `ServingFailure`s, which each API renders with its own status
/// and shape.
struct RequestPreamble: Sendable {
    let configuration: ServerConfiguration

    /// The request's body and deadline.
    func read(_ request: Request) async throws -> (body: ByteBuffer, deadline: ContinuousClock.Instant) {
        let deadline = try RequestDeadline.deadline(for: request, default: configuration.requestTimeout)
        let body = try await RequestBodyReader.collect(request, limit: configuration.maxBodySize)
        return (body, deadline)
    }

    /// `count` inputs in `field`: none is 400 empty, more than `--max-inputs` is 413.
    func checkCount(_ count: Int, field: String) throws(ServingFailure) {
        if count == 0 {
            throw ServingFailure(.empty, "`\(field)` cannot be empty", parameter: field, code: "empty_input")
        }
        if count > configuration.maxInputs {
            throw ServingFailure(
                .tooLarge, "the request has \(count) inputs in `\(field)`, more than the limit of \(configuration.maxInputs)",
                parameter: field, code: "too_many_inputs")
        }
    }

    /// `--max-input-chars`: 413 for the first text over it.
    func checkLength(_ texts: some Sequence<String>, field: String) throws(ServingFailure) {
        try check(lengthLimit.firstViolation(texts), field: field)
    }

    func checkLength(_ inputs: [EmbeddingInput], field: String) throws(ServingFailure) {
        try check(lengthLimit.firstViolation(inputs), field: field)
    }

    func checkLength(_ inputs: [ClassificationInput], field: String) throws(ServingFailure) {
        try check(lengthLimit.firstViolation(inputs), field: field)
    }

    private var lengthLimit: InputLengthLimit { InputLengthLimit(limit: configuration.maxInputChars) }

    private func check(_ violation: InputLengthLimit.Violation?, field: String) throws(ServingFailure) {
        guard let violation else { return }
        throw ServingFailure(
            .tooLarge, lengthLimit.message(violation, field: field), parameter: field, code: "input_too_long")
    }
}

/// A body over the configured limit; each API renders it in its own error shape.
struct BodyTooLargeError: Error {
    let limit: Int
}

/// Reads a request body, refusing one over the limit before reading it when the length is declared.
enum RequestBodyReader {
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw BodyTooLargeError(limit: limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw BodyTooLargeError(limit: limit)
        }
    }
}

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

/// `--max-input-chars`: the longest text one input may be, in Unicode scalars (what Python's `len`
/// counts), checked before tokenization so an oversized input costs no tokenizer time.
struct InputLengthLimit: Sendable {
    /// An input over the limit: its position in the request and its length.
    struct Violation: Equatable {
        let index: Int
        let length: Int
    }

    let limit: Int

    /// The first text over the limit, nil when all fit. UTF-8 never has fewer bytes than scalars, so texts
    /// within the limit in bytes are not counted.
    func firstViolation(_ texts: some Sequence<String>) -> Violation? {
        for (index, text) in texts.enumerated() {
            guard text.utf8.count > limit else { continue }
            let length = text.unicodeScalars.count
            if length > limit { return Violation(index: index, length: length) }
        }
        return nil
    }

    func firstViolation(_ inputs: [EmbeddingInput]) -> Violation? {
        firstViolation(inputs.lazy.map { if case .text(let text) = $0 { text } else { "" } })
    }

    func firstViolation(_ inputs: [ClassificationInput]) -> Violation? {
        firstViolation(inputs.lazy.map { input -> String in
            switch input {
            case .single(let text): text
            case .pair(let first, let second):
                first.unicodeScalars.count >= second.unicodeScalars.count ? first : second
            }
        })
    }

    /// The message every API uses.
    func message(_ violation: Violation, field: String) -> String {
        "\(field)[\(violation.index)] has \(violation.length) characters, more than the limit of \(limit)"
    }
}
