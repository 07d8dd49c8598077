/// Why the scheduler did not compute a request.
public struct SchedulerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, for status mapping and metrics.
    public enum Kind: Hashable, Sendable {
        /// The server is draining and accepts no new work.
        case shuttingDown
        /// A limit on concurrent requests or queued inputs was reached; try again later.
        case overloaded
        /// The request's deadline passed before it was answered.
        case timedOut
        /// The executor broke its contract.
        case internalError
    }

    public let kind: Kind
    private let detail: String

    private init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The server is draining and accepts no new work.
    public static let shuttingDown = SchedulerError(.shuttingDown, "the server is shutting down")

    /// The request's deadline passed before it was answered.
    public static let timedOut = SchedulerError(.timedOut, "the request timed out before it could be answered")

    static func rejected(_ rejection: BatchSchedulerStateMachine.Rejection) -> SchedulerError {
        switch rejection {
        case .shuttingDown:
            return .shuttingDown
        case .tooManyRequests(let limit):
            return SchedulerError(.overloaded, "the server is at its limit of \(limit) concurrent requests")
        case .queueFull(let limit):
            return SchedulerError(.overloaded, "the server's queue is at its limit of \(limit) inputs")
        }
    }

    static func outputCountMismatch(expected: Int, actual: Int) -> SchedulerError {
        SchedulerError(.internalError, "the backend returned \(actual) outputs for a batch of \(expected)")
    }

    public var isShuttingDown: Bool { kind == .shuttingDown }

    public var description: String { detail }
}
