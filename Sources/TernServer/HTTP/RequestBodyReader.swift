import Hummingbird
import NIOCore

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
