import Foundation
import Logging
import Synchronization
import Testing

@testable import Scheduler

/// Sleeps 100 ms a batch, so a second request queues behind the first for about that long.
private final class TimedExecutor: BatchExecutor {
    func tokenCount(of input: Int) -> Int { 1 }

    func execute(_ batch: [Int], engine: Int) throws -> [Int] {
        Thread.sleep(forTimeInterval: 0.1)
        return batch
    }
}

@Suite struct BatchSchedulerTimingTests {
    private func scheduler() -> BatchScheduler<TimedExecutor> {
        BatchScheduler(
            executor: TimedExecutor(),
            configuration: BatchingConfiguration(maxBatchTokens: 1_000, maxBatchInputs: 1, engines: 1),
            logger: Logger(label: "test")
        )
    }

    @Test func eachRequestLearnsItsOwnQueueWaitAndInferenceTime() async throws {
        let scheduler = scheduler()
        let first = Task { try await scheduler.submitTimed([1]) }
        try await Task.sleep(for: .milliseconds(20))
        let second = try await scheduler.submitTimed([2])
        let firstResult = try await first.value
        #expect(firstResult.outputs == [1])
        #expect(second.outputs == [2])
        // The first ran at once; the second waited for the only engine (~80 ms), then ran ~100 ms.
        #expect(firstResult.timings.queueWait < .milliseconds(50))
        #expect(firstResult.timings.inference >= .milliseconds(95))
        #expect(second.timings.queueWait >= .milliseconds(50))
        #expect(second.timings.inference >= .milliseconds(95))
        #expect(second.timings.started >= firstResult.timings.finished)
        try await scheduler.shutdown()
    }

    @Test func aRequestOverSeveralBatchesSpansAllOfThem() async throws {
        let scheduler = scheduler()
        let result = try await scheduler.submitTimed([1, 2, 3])
        #expect(result.outputs == [1, 2, 3])
        // One input per batch, one engine: three batches back to back.
        #expect(result.timings.inference >= .milliseconds(290))
        #expect(result.timings.queueWait < .milliseconds(50))
        try await scheduler.shutdown()
    }

    @Test func submitStillReturnsPlainOutputs() async throws {
        let scheduler = scheduler()
        #expect(try await scheduler.submit([4, 5]) == [4, 5])
        #expect(try await scheduler.submitTimed([]).outputs.isEmpty)
        try await scheduler.shutdown()
    }

    @Test func wholeNanosecondsClampsAndConverts() {
        #expect(Duration.milliseconds(1_500).wholeNanoseconds == 1_500_000_000)
        #expect(Duration.seconds(Int64.max).wholeNanoseconds == .max)
        #expect(Duration.zero.wholeNanoseconds == 0)
    }
}
