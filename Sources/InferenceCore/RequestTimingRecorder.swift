import Scheduler
import Synchronization

/// Collects a request's `RequestTimings` from wherever its work runs. The server binds one to
/// `RequestTimingRecorder.current` for each request; pipelines report into it, so their signatures
/// stay as they are and any route (present or future) gets timings by running inside the binding.
public final class RequestTimingRecorder: Sendable {
    /// The recorder of the request the current task works for, if the server set one.
    @TaskLocal public static var current: RequestTimingRecorder?

    private let state = Mutex(RequestTimings())

    public init() {}

    /// What has been recorded so far.
    public var timings: RequestTimings { state.withLock { $0 } }

    /// The model that serves the request.
    public func recordModel(_ modelID: String) {
        state.withLock { $0.modelID = modelID }
    }

    /// One stretch of tokenization.
    public func recordTokenization(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) {
        state.withLock { timings in
            if timings.tokenizationStart == nil { timings.tokenizationStart = start }
            timings.tokenization += end - start
        }
    }

    /// One answered scheduler submission (a request may make several; their spans are merged).
    public func recordScheduling(_ scheduling: SchedulerTimings, inputs: Int, tokens: Int) {
        state.withLock { timings in
            timings.inputs += inputs
            timings.tokens += tokens
            if let earlier = timings.scheduling {
                timings.scheduling = SchedulerTimings(
                    enqueued: min(earlier.enqueued, scheduling.enqueued),
                    started: min(earlier.started, scheduling.started),
                    finished: max(earlier.finished, scheduling.finished)
                )
            } else {
                timings.scheduling = scheduling
            }
        }
    }
}
