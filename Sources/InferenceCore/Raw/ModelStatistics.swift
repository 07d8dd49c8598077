import Foundation
import Synchronization

/// One model's totals since it loaded, in the shape of Triton's per-model statistics.
public struct ModelStatistics: Sendable {
    /// How many times a step ran and how long it took in all.
    public struct Duration: Sendable {
        /// Times the step ran.
        public var count: Int
        /// Cumulative time, in nanoseconds.
        public var nanoseconds: UInt64

        public init(count: Int = 0, nanoseconds: UInt64 = 0) {
            self.count = count
            self.nanoseconds = nanoseconds
        }

        /// Adds one run of the step.
        mutating func record(_ elapsed: Swift.Duration) {
            count += 1
            nanoseconds &+= elapsed.nanoseconds
        }
    }

    /// Batch rows inferred (Triton: `inference_count`).
    public var inferenceCount: Int = 0
    /// Model executions (batches).
    public var executionCount: Int = 0
    /// When the last inference finished, in milliseconds since the Unix epoch; 0 before the first.
    public var lastInference: UInt64 = 0
    /// Requests answered, with their whole time in the server's engine (queue + compute).
    public var success = Duration()
    /// Requests that failed, with their time until they failed.
    public var fail = Duration()
    /// Time requests waited for an engine.
    public var queue = Duration()
    /// Time spent filling input tensors.
    public var computeInput = Duration()
    /// Time spent in the session run.
    public var computeInfer = Duration()
    /// Time spent reading outputs back.
    public var computeOutput = Duration()

    public init() {}
}

extension Swift.Duration {
    /// The duration in whole nanoseconds, 0 when negative.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}

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
