/// Why the scheduler did not compute a request.
public struct SchedulerError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case shuttingDown
        case outputCountMismatch(expected: Int, actual: Int)
    }

    private let code: Code

    /// The server is draining and accepts no new work.
    public static let shuttingDown = SchedulerError(code: .shuttingDown)

    static func outputCountMismatch(expected: Int, actual: Int) -> SchedulerError {
        SchedulerError(code: .outputCountMismatch(expected: expected, actual: actual))
    }

    public var isShuttingDown: Bool { code == .shuttingDown }

    public var description: String {
        switch code {
        case .shuttingDown:
            return "the server is shutting down"
        case .outputCountMismatch(let expected, let actual):
            return "the backend returned \(actual) outputs for a batch of \(expected)"
        }
    }
}
