import Metrics

/// The scheduler's counters and gauges, reported through swift-metrics (the executable decides where
/// they go). Counters advance by the difference between two `SchedulerCounters` snapshots, so the state
/// machine stays free of metrics code.
struct SchedulerMetrics: Sendable {
    private let accepted: Counter
    private let overloaded: Counter
    private let timedOut: Counter
    private let cancelled: Counter
    private let droppedQueued: Counter
    private let batches: Counter
    private let batchInputs: Counter
    private let paddedTokens: Counter
    private let realTokens: Counter
    private let queued: Gauge
    private let running: Gauge
    private let active: Gauge
    private let queueDuration: Timer
    private let inferenceDuration: Timer
    private let batchSize: Recorder
    private let batchTokens: Recorder

    /// - Parameter model: the `model` label of every series.
    init(model: String) {
        let labels = [("model", model)]
        func rejected(_ reason: String) -> Counter {
            Counter(label: "tern_requests_rejected_total", dimensions: labels + [("reason", reason)])
        }
        accepted = Counter(label: "tern_requests_accepted_total", dimensions: labels)
        overloaded = rejected("overloaded")
        timedOut = rejected("timeout")
        cancelled = rejected("cancelled")
        droppedQueued = Counter(label: "tern_queued_inputs_dropped_total", dimensions: labels)
        batches = Counter(label: "tern_batches_total", dimensions: labels)
        batchInputs = Counter(label: "tern_batch_inputs_total", dimensions: labels)
        paddedTokens = Counter(label: "tern_batch_padded_tokens_total", dimensions: labels)
        realTokens = Counter(label: "tern_batch_tokens_total", dimensions: labels)
        queued = Gauge(label: "tern_queued_inputs", dimensions: labels)
        running = Gauge(label: "tern_running_inputs", dimensions: labels)
        active = Gauge(label: "tern_active_requests", dimensions: labels)
        queueDuration = Timer(label: "tern_queue_duration_seconds", dimensions: labels, preferredDisplayUnit: .seconds)
        inferenceDuration = Timer(
            label: "tern_inference_duration_seconds", dimensions: labels, preferredDisplayUnit: .seconds)
        batchSize = Recorder(label: "tern_batch_size", dimensions: labels, aggregate: true)
        batchTokens = Recorder(label: "tern_batch_size_tokens", dimensions: labels, aggregate: true)
    }

    /// One answered request's queue wait and inference time.
    func record(_ timings: SchedulerTimings) {
        queueDuration.recordNanoseconds(timings.queueWait.wholeNanoseconds)
        inferenceDuration.recordNanoseconds(timings.inference.wholeNanoseconds)
    }

    /// One computed batch: its live inputs and the padded tokens the engine computes.
    func recordBatch(inputs: Int, paddedTokens: Int) {
        batchSize.record(inputs)
        batchTokens.record(paddedTokens)
    }

    /// The queue as it is now.
    struct Levels: Sendable, Equatable {
        var queued = 0
        var running = 0
        var active = 0
    }

    func record(from old: SchedulerCounters, to new: SchedulerCounters, levels: Levels) {
        func advance(_ counter: Counter, _ before: Int, _ after: Int) {
            if after > before { counter.increment(by: after - before) }
        }
        advance(accepted, old.acceptedRequests, new.acceptedRequests)
        advance(overloaded, old.rejectedOverloaded, new.rejectedOverloaded)
        advance(timedOut, old.expiredQueued + old.expiredRunning, new.expiredQueued + new.expiredRunning)
        advance(cancelled, old.cancelledRequests, new.cancelledRequests)
        advance(droppedQueued, old.droppedQueuedInputs, new.droppedQueuedInputs)
        advance(batches, old.batches, new.batches)
        advance(batchInputs, old.batchInputs, new.batchInputs)
        advance(paddedTokens, old.batchPaddedTokens, new.batchPaddedTokens)
        advance(realTokens, old.batchRealTokens, new.batchRealTokens)
        queued.record(levels.queued)
        running.record(levels.running)
        active.record(levels.active)
    }
}
