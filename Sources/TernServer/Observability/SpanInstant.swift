import Foundation
import Tracing

/// A point in wall-clock time for a span's start or end. The pipelines time their phases on the
/// monotonic clock; `SpanInstant(_:anchor:)` places such an instant on the wall clock by its distance
/// from an anchor read from both clocks at once.
struct SpanInstant: TracerInstant {
    let nanosecondsSinceEpoch: UInt64

    /// Both clocks read at (nearly) the same moment.
    struct Anchor: Sendable {
        let monotonic: ContinuousClock.Instant
        let wallNanoseconds: UInt64

        static func now() -> Anchor {
            Anchor(
                monotonic: .now,
                wallNanoseconds: UInt64(max(0, Date().timeIntervalSince1970 * 1_000_000_000))
            )
        }
    }

    init(nanosecondsSinceEpoch: UInt64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    init(_ instant: ContinuousClock.Instant, anchor: Anchor) {
        let offset = (instant - anchor.monotonic).wholeNanoseconds
        let wall = Int64(clamping: anchor.wallNanoseconds) + offset
        self.nanosecondsSinceEpoch = UInt64(max(0, wall))
    }

    static func < (lhs: SpanInstant, rhs: SpanInstant) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }
}
