import Scheduler

extension InferenceError {
    /// The pipeline-level meaning of whatever a scheduler submission threw.
    /// - Parameter shuttingDown: what to report when the scheduler no longer accepts work (a whole-server
    ///   drain, or one model being unloaded).
    static func fromSubmission(_ error: any Error, shuttingDown: InferenceError = .shuttingDown) -> InferenceError {
        switch error {
        case let error as InferenceError:
            return error
        case let error as SchedulerError:
            switch error.kind {
            case .shuttingDown: return shuttingDown
            case .overloaded: return .overloaded(error.description)
            case .timedOut: return .timeout
            case .internalError: return .backend(error)
            }
        case is CancellationError:
            return .cancelled
        default:
            return .backend(error)
        }
    }
}
