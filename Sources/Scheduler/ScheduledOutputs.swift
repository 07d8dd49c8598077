/// What `BatchScheduler.submitTimed` returns: the outputs in input order, and when the work was queued
/// and computed.
public struct ScheduledOutputs<Output: Sendable>: Sendable {
    /// One output per input, in input order.
    public var outputs: [Output]
    /// Queue wait and inference time of this request.
    public var timings: SchedulerTimings

    public init(outputs: [Output], timings: SchedulerTimings) {
        self.outputs = outputs
        self.timings = timings
    }
}
