import Foundation
import Logging
import Synchronization
import Testing

@testable import Scheduler

/// Doubles each input and records the batches it saw.
private final class RecordingExecutor: BatchExecutor {
    let batches = Mutex<[[Int]]>([])
    let failOn: Int?

    init(failOn: Int? = nil) { self.failOn = failOn }

    func tokenCount(of input: Int) -> Int { 1 }

    func execute(_ batch: [Int], engine: Int) throws -> [Int] {
        batches.withLock { $0.append(batch) }
        if let failOn, batch.contains(failOn) { throw TestFailure() }
        return batch.map { $0 * 2 }
    }

    let releases = Mutex(0)

    func releaseIdleMemory() { releases.withLock { $0 += 1 } }
}

private struct TestFailure: Error {}

/// Holds each batch until the test releases it, so later requests queue behind the first however slowly
/// a loaded machine runs the test (a fixed sleep let the first finish before the test looked).
private final class SlowExecutor: BatchExecutor {
    let seen = Mutex<[[Int]]>([])
    private let gate = DispatchSemaphore(value: 0)

    func tokenCount(of input: Int) -> Int { 1 }

    /// Lets one held batch finish.
    func release() { gate.signal() }

    func execute(_ batch: [Int], engine: Int) throws -> [Int] {
        seen.withLock { $0.append(batch) }
        gate.wait()
        return batch
    }
}

@Suite struct BatchSchedulerTests {
    private func scheduler(_ executor: RecordingExecutor, engines: Int = 2) -> BatchScheduler<RecordingExecutor> {
        BatchScheduler(
            executor: executor,
            configuration: BatchingConfiguration(maxBatchTokens: 1_000, maxBatchInputs: 16, engines: engines),
            logger: Logger(label: "test")
        )
    }

    @Test func everyCallerGetsItsOwnOutputsInOrder() async throws {
        let executor = RecordingExecutor()
        let scheduler = scheduler(executor)
        try await withThrowingTaskGroup(of: (Int, [Int]).self) { group in
            for caller in 0..<50 {
                group.addTask {
                    let inputs = (0..<(caller % 5 + 1)).map { caller * 100 + $0 }
                    return (caller, try await scheduler.submit(inputs))
                }
            }
            for try await (caller, outputs) in group {
                #expect(outputs == (0..<(caller % 5 + 1)).map { (caller * 100 + $0) * 2 })
            }
        }
        let seen = executor.batches.withLock { $0 }
        let expectedInputs = (0..<50).map { $0 % 5 + 1 }.reduce(0, +)
        let computedInputs = seen.map(\.count).reduce(0, +)
        #expect(computedInputs == expectedInputs)
        #expect(seen.allSatisfy { $0.count <= 16 })
        await scheduler.drain()
    }

    /// Waits (a loaded machine may be slow) until the executor has released `count` times.
    private func waitForReleases(_ executor: RecordingExecutor, _ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while executor.releases.withLock({ $0 }) < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test(arguments: [false, true])
    func goingIdleReleasesMemoryAtMostOncePerInterval(everyTime: Bool) async throws {
        let executor = RecordingExecutor()
        let scheduler = BatchScheduler(
            executor: executor,
            configuration: BatchingConfiguration(maxBatchTokens: 1_000, maxBatchInputs: 16, engines: 1),
            logger: Logger(label: "test"), idleReleaseInterval: everyTime ? .zero : .seconds(3_600))
        for value in 1...3 {
            #expect(try await scheduler.submit([value]) == [value * 2])
            // The engine releases after it has answered.
            try await waitForReleases(executor, everyTime ? value : 1)
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(executor.releases.withLock { $0 } == (everyTime ? 3 : 1))
        await scheduler.drain()
    }

    @Test func aFailedBatchFailsOnlyItsCallers() async throws {
        let executor = RecordingExecutor(failOn: 13)
        let scheduler = scheduler(executor, engines: 1)
        await #expect(throws: TestFailure.self) { try await scheduler.submit([13]) }
        #expect(try await scheduler.submit([1, 2]) == [2, 4])
        await scheduler.drain()
    }

    @Test func afterDrainNewWorkIsRefused() async throws {
        let scheduler = scheduler(RecordingExecutor())
        #expect(try await scheduler.submit([1]) == [2])
        await scheduler.drain()
        await #expect(throws: SchedulerError.shuttingDown) { try await scheduler.submit([1]) }
    }

    @Test func aCancelledCallerIsAnsweredWithCancellation() async throws {
        let scheduler = scheduler(RecordingExecutor())
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await scheduler.submit([1, 2, 3])
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(scheduler.queuedInputs == 0)
        await scheduler.drain()
    }

    @Test func overloadIsRefusedAtOnce() async throws {
        let executor = SlowExecutor()
        let scheduler = BatchScheduler(
            executor: executor,
            configuration: BatchingConfiguration(engines: 1, maxConcurrentRequests: 1),
            logger: Logger(label: "test")
        )
        let first = Task { try await scheduler.submit([1]) }
        while scheduler.activeRequests == 0 { await Task.yield() }
        let error = await #expect(throws: SchedulerError.self) { try await scheduler.submit([2]) }
        #expect(error?.kind == .overloaded)
        executor.release()
        #expect(try await first.value == [1])
        await scheduler.drain()
    }

    @Test func aQueuedRequestPastItsDeadlineTimesOutWithoutRunning() async throws {
        let executor = SlowExecutor()
        let scheduler = BatchScheduler(
            executor: executor,
            configuration: BatchingConfiguration(engines: 1),
            logger: Logger(label: "test")
        )
        let first = Task { try await scheduler.submit([1]) }
        while scheduler.activeRequests == 0 { await Task.yield() }
        let error = await #expect(throws: SchedulerError.self) {
            try await scheduler.submit([2], deadline: .now + .milliseconds(20))
        }
        #expect(error?.kind == .timedOut)
        executor.release()
        _ = try await first.value
        #expect(executor.seen.withLock { $0 } == [[1]])
        #expect(scheduler.counters.expiredQueued == 1)
        await scheduler.drain()
    }

    @Test func emptySubmissionReturnsAtOnce() async throws {
        let scheduler = scheduler(RecordingExecutor())
        #expect(try await scheduler.submit([]) == [])
        await scheduler.drain()
    }
}
