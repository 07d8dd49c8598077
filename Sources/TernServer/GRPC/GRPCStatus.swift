import GRPCCore
import HTTPTypes

/// The gRPC renderer of Tern's one error model: every failure is classified once (`ServingFailure`, or the v2
/// routes' `KServeError` with Triton's HTTP status) and gets Triton's gRPC status code here.
enum GRPCStatus {
    /// `error` as the `RPCError` a v2 gRPC client receives.
    static func rpcError(_ error: any Error) -> RPCError {
        if let error = error as? RPCError { return error }
        let failure = KServeError(wrapping: error)
        return RPCError(code: code(for: failure.status), message: failure.message)
    }

    /// Triton's gRPC code for the HTTP status the v2 HTTP routes give the same failure.
    static func code(for status: HTTPResponse.Status) -> RPCError.Code {
        switch status.code {
        case 400, 413, 415, 422: .invalidArgument
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .notFound
        case 408, 504: .deadlineExceeded
        case 429: .resourceExhausted
        case 499: .cancelled
        case 501: .unimplemented
        case 503: .unavailable
        default: .internalError
        }
    }

    /// The canonical name of a code (`NOT_FOUND`), for metric labels; `OK` for nil.
    static func name(_ code: RPCError.Code?) -> String {
        let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
            "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
            "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
        ]
        guard let code else { return "OK" }
        return names.indices.contains(code.rawValue) ? names[code.rawValue] : "UNKNOWN"
    }
}
