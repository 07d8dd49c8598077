import Foundation
import Synchronization

/// A model's statistics, updated from engine threads and request tasks.
final class StatisticsRecorder: Sendable {
    private let state = Mutex(ModelStatistics())

    /// A copy of the totals.
    var snapshot: ModelStatistics { state.withLock { $0 } }

    /// Applies `body` under the lock.
    func update(_ body: (inout ModelStatistics) -> Void) {
        state.withLock { body(&$0) }
    }

    /// Records one request's end, success or failure, with its whole time in the engine.
    func finish(success: Bool, elapsed: Duration) {
        let now = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        state.withLock {
            if success {
                $0.success.record(elapsed)
                $0.lastInference = now
            } else {
                $0.fail.record(elapsed)
            }
        }
    }
}
