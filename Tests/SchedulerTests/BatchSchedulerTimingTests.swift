import Foundation
import Logging
import Synchronization
import Testing

@testable import Scheduler

/// Holds every batch until the test opens the gate, so who waits for whom does not depend on how
/// loaded the machine is.
private final class GatedExecutor: BatchExecutor {
    private let gate = DispatchSemaphore(value: 0)
    private let opened = Mutex(false)

    func tokenCount(of input: Int) -> Int { 1 }

    func open() {
        opened.withLock { $0 = true }
        gate.signal()
    }

    func execute(_ batch: [Int], engine: Int) throws -> [Int] {
        if !opened.withLock({ $0 }) {
            gate.wait()
            gate.signal()  // keep it open for the batches after this one
        }
        return batch
    }
}

/// Sleeps 100 ms a batch: a lower bound on each batch's inference time.
private final class SleepingExecutor: BatchExecutor {
    func tokenCount(of input: Int) -> Int { 1 }

    func execute(_ batch: [Int], engine: Int) throws -> [Int] {
        Thread.sleep(forTimeInterval: 0.1)
        return batch
    }
}

@Suite struct BatchSchedulerTimingTests {
    private let oneAtATime = BatchingConfiguration(maxBatchTokens: 1_000, maxBatchInputs: 1, engines: 1)

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<6000 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
        try #require(condition())
    }

    @Test func eachRequestLearnsItsOwnQueueWaitAndInferenceTime() async throws {
        let executor = GatedExecutor()
        let scheduler = BatchScheduler(executor: executor, configuration: oneAtATime, logger: Logger(label: "test"))
        let first = Task { try await scheduler.submitTimed([1]) }
        try await waitUntil { scheduler.runningInputs == 1 }
        let second = Task { try await scheduler.submitTimed([2]) }
        try await waitUntil { scheduler.queuedInputs == 1 }
        // The first computes and the second waits for the only engine for at least this long.
        try await Task.sleep(for: .milliseconds(60))
        executor.open()
        let firstResult = try await first.value
        let secondResult = try await second.value
        #expect(firstResult.outputs == [1])
        #expect(secondResult.outputs == [2])
        #expect(firstResult.timings.inference >= .milliseconds(60))
        #expect(secondResult.timings.queueWait >= .milliseconds(60))
        #expect(secondResult.timings.started >= firstResult.timings.finished)
        #expect(firstResult.timings.queueWait + firstResult.timings.inference
            == firstResult.timings.finished - firstResult.timings.enqueued)
        try await scheduler.shutdown()
    }

    @Test func aRequestOverSeveralBatchesSpansAllOfThem() async throws {
        let scheduler = BatchScheduler(
            executor: SleepingExecutor(), configuration: oneAtATime, logger: Logger(label: "test"))
        let result = try await scheduler.submitTimed([1, 2, 3])
        #expect(result.outputs == [1, 2, 3])
        // One input per batch, one engine: three batches back to back.
        #expect(result.timings.inference >= .milliseconds(300))
        try await scheduler.shutdown()
    }

    @Test func submitStillReturnsPlainOutputs() async throws {
        let scheduler = BatchScheduler(
            executor: SleepingExecutor(), configuration: oneAtATime, logger: Logger(label: "test"))
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
