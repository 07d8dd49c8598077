import Testing

@testable import Scheduler

/// The state machine driven synchronously: time is an argument, so nothing sleeps.
@Suite struct BatchSchedulerStateMachineTests {
    typealias Machine = BatchSchedulerStateMachine
    let t0 = ContinuousClock.now

    private func machine(
        tokens: Int = 10_000,
        inputs: Int = 8,
        engines: Int = 1,
        wait: Duration = .zero,
        window: Int? = 1,
        padding: Double? = nil,
        requests: Int = 100,
        queued: Int = 1_000
    ) -> Machine {
        Machine(
            configuration: BatchingConfiguration(
                maxBatchTokens: tokens, maxBatchInputs: inputs, engines: engines, maxBatchWait: wait,
                groupingWindow: window, maxPaddingShare: padding, maxConcurrentRequests: requests,
                maxQueuedInputs: queued
            )
        )
    }

    private func r(_ id: UInt64) -> RequestID { RequestID(id) }

    /// Enqueues and returns the batches started, failing the test on a rejection.
    @discardableResult
    private func enqueue(
        _ sm: inout Machine, _ id: UInt64, _ tokens: [Int], deadline: Duration? = nil, at time: Duration = .zero
    ) -> Machine.Actions {
        let decision = sm.enqueue(request: r(id), tokenCounts: tokens, deadline: deadline.map { t0 + $0 }, now: t0 + time)
        guard case .accepted(let actions) = decision else {
            Issue.record("request \(id) was rejected: \(decision)")
            return .none
        }
        return actions
    }

    private func finish(_ sm: inout Machine, engine: Int = 0, at time: Duration = .zero) -> Machine.Actions {
        sm.batchFinished(engine: engine, now: t0 + time)
    }

    private func ids(_ actions: Machine.Actions) -> [[UInt64]] {
        actions.start.map { $0.inputs.map(\.request.raw) }
    }

    // MARK: Batch closing

    @Test func idleEngineTakesTheFirstRequestAtOnce() {
        var sm = machine()
        let started = enqueue(&sm, 1, [5, 7]).start
        #expect(started.count == 1)
        #expect(started[0].inputs == [InputReference(request: r(1), index: 0), InputReference(request: r(1), index: 1)])
        #expect(started[0].paddedTokens == 14)
        #expect(sm.queuedInputs == 0)
        #expect(sm.runningInputs == 2)
    }

    @Test func busyEngineQueuesAndNextBatchTakesEverythingQueued() {
        var sm = machine()
        enqueue(&sm, 1, [5])
        #expect(enqueue(&sm, 2, [5]).start.isEmpty)
        #expect(enqueue(&sm, 3, [5, 5]).start.isEmpty)
        #expect(sm.queuedInputs == 3)
        #expect(ids(finish(&sm)) == [[2, 3, 3]])
    }

    @Test func batchClosesOnPaddedTokenBudget() {
        var sm = machine(tokens: 100, inputs: 64)
        enqueue(&sm, 1, [1])
        // 10, 10, 10 fit (3 x 10 = 30); adding 40 makes 4 x 40 = 160 > 100, so it waits.
        enqueue(&sm, 2, [10, 10, 10, 40])
        let next = finish(&sm).start
        #expect(next[0].inputs.count == 3)
        #expect(next[0].paddedTokens == 30)
        let after = finish(&sm).start
        #expect(after[0].inputs == [InputReference(request: r(2), index: 3)])
        #expect(after[0].paddedTokens == 40)
    }

    @Test func batchClosesOnInputCountAndSplitsARequest() {
        var sm = machine(inputs: 4)
        #expect(enqueue(&sm, 1, Array(repeating: 3, count: 10)).start[0].inputs.map(\.index) == [0, 1, 2, 3])
        #expect(finish(&sm).start[0].inputs.map(\.index) == [4, 5, 6, 7])
        #expect(finish(&sm).start[0].inputs.map(\.index) == [8, 9])
        #expect(finish(&sm).start.isEmpty)
        #expect(sm.activeRequests == 0)
    }

    @Test func anInputOverTheBudgetStillRunsAlone() {
        var sm = machine(tokens: 10)
        let started = enqueue(&sm, 1, [50, 1]).start
        #expect(started[0].inputs.count == 1)
        #expect(started[0].paddedTokens == 50)
    }

    @Test func severalIdleEnginesShareALargeRequest() {
        var sm = machine(inputs: 2, engines: 3)
        let started = enqueue(&sm, 1, [1, 1, 1, 1, 1]).start
        #expect(started.map(\.engine).sorted() == [0, 1, 2])
        #expect(started.map(\.inputs.count) == [2, 2, 1])
        #expect(sm.busyEngines == 3)
    }

    @Test func idleEnginesSplitTheQueueInsteadOfOneTakingItAll() {
        // 32 inputs fit one batch of 64, but with two engines idle each computes half of them.
        var sm = machine(inputs: 64, engines: 2, window: nil)
        let started = enqueue(&sm, 1, Array(repeating: 10, count: 32)).start
        #expect(started.map(\.inputs.count) == [16, 16])
        #expect(Set(started.map(\.engine)) == [0, 1])
    }

    @Test func theSplitIsByTokensNotInputs() {
        // 100 + ten 10s: 200 tokens, 100 each. The oldest (100 tokens) is one engine's share.
        var sm = machine(inputs: 64, engines: 2, window: nil)
        let started = enqueue(&sm, 1, [100] + Array(repeating: 10, count: 10)).start
        #expect(started.map(\.inputs.count) == [1, 10])
        #expect(started.map(\.paddedTokens) == [100, 100])
    }

    @Test func aSingleIdleEngineStillTakesAFullBatch() {
        var sm = machine(inputs: 64, engines: 2, window: nil)
        enqueue(&sm, 1, [10])
        enqueue(&sm, 2, [10])
        #expect(sm.busyEngines == 2)
        for id in 3...40 { enqueue(&sm, UInt64(id), [10]) }
        #expect(finish(&sm, engine: 1).start.map(\.inputs.count) == [38])
    }

    @Test func strictArrivalOrderWithAWindowOfOne() {
        var sm = machine(inputs: 3)
        enqueue(&sm, 1, [1])
        for id in 2...7 { enqueue(&sm, UInt64(id), [id % 2 == 0 ? 100 : 1]) }
        #expect(ids(finish(&sm)) + ids(finish(&sm)) == [[2, 3, 4], [5, 6, 7]])
    }

    // MARK: Length-aware grouping

    @Test func groupingPutsSimilarLengthsTogetherAndCutsPadding() {
        // Queue: 10, 200, 10, 200, 10, 200 behind a running batch; batches of 3.
        var grouped = machine(inputs: 3, window: 6)
        var fifo = machine(inputs: 3, window: 1)
        for sm in [0, 1] {
            var m = sm == 0 ? grouped : fifo
            enqueue(&m, 1, [1])
            for id in 2...7 { enqueue(&m, UInt64(id), [id % 2 == 0 ? 10 : 200]) }
            if sm == 0 { grouped = m } else { fifo = m }
        }
        let g1 = finish(&grouped).start[0]
        let g2 = finish(&grouped).start[0]
        #expect(g1.inputs.map(\.request.raw) == [2, 4, 6])
        #expect(g2.inputs.map(\.request.raw) == [3, 5, 7])
        let f1 = finish(&fifo).start[0]
        let f2 = finish(&fifo).start[0]
        #expect(g1.paddedTokens + g2.paddedTokens == 30 + 600)
        #expect(f1.paddedTokens + f2.paddedTokens == 600 + 600)
    }

    @Test func theOldestInputAlwaysGoesNextSoNothingStarves() {
        // A long input at the head, followed by a stream of short ones: it must not be passed over.
        var sm = machine(inputs: 4, window: 64)
        enqueue(&sm, 1, [1])
        enqueue(&sm, 2, [500])
        for id in 3...40 { enqueue(&sm, UInt64(id), [5]) }
        let next = finish(&sm).start[0]
        #expect(next.inputs.first?.request == r(2))
    }

    @Test func reorderingIsBoundedByTheWindow() {
        // With a window of 3, input 5 (a perfect length match) is outside the window and cannot jump ahead.
        var sm = machine(inputs: 2, window: 3)
        enqueue(&sm, 1, [1])
        enqueue(&sm, 2, [10])
        enqueue(&sm, 3, [100])
        enqueue(&sm, 4, [90])
        enqueue(&sm, 5, [10])
        #expect(ids(finish(&sm)) == [[2, 4]])
        #expect(ids(finish(&sm)) == [[3, 5]])
    }

    // MARK: Padding limit

    @Test func thePaddingLimitLeavesOutInputsThatWouldPadTheBatchTooMuch() {
        // Behind a running batch: 10, 10, 12, 30, 10 tokens. A 10% limit keeps 10, 10, 10 together (no padding),
        // leaves out 12 (adding it pads 6 of 48 tokens: 12.5%) and 30; without the limit all five go (padded to 30).
        var limited = machine(inputs: 8, window: 8, padding: 0.1)
        var unlimited = machine(inputs: 8, window: 8)
        for m in [0, 1] {
            var sm = m == 0 ? limited : unlimited
            enqueue(&sm, 1, [1])
            enqueue(&sm, 2, [10, 10, 12, 30, 10])
            if m == 0 { limited = sm } else { unlimited = sm }
        }
        let first = finish(&limited).start[0]
        #expect(first.inputs.map(\.index) == [0, 1, 4])
        #expect(first.paddedTokens == 30)
        #expect(finish(&limited).start[0].inputs.map(\.index) == [2])  // 12 is now the oldest; 30 pads it too much
        #expect(finish(&limited).start[0].inputs.map(\.index) == [3])
        #expect(finish(&unlimited).start[0].paddedTokens == 150)
    }

    @Test func aLongOldestInputStillGoesFirstUnderThePaddingLimit() {
        var sm = machine(inputs: 8, window: 8, padding: 0)
        enqueue(&sm, 1, [1])
        enqueue(&sm, 2, [300, 5, 300, 5])
        #expect(finish(&sm).start[0].inputs.map(\.index) == [0, 2])
        #expect(finish(&sm).start[0].inputs.map(\.index) == [1, 3])
    }

    @Test func inStrictOrderThePaddingLimitClosesTheBatch() {
        var sm = machine(inputs: 8, window: 1, padding: 0.2)
        enqueue(&sm, 1, [1])
        enqueue(&sm, 2, [10, 10, 40, 10])
        #expect(finish(&sm).start[0].inputs.map(\.index) == [0, 1])
        #expect(finish(&sm).start[0].inputs.map(\.index) == [2])
        #expect(finish(&sm).start[0].inputs.map(\.index) == [3])
    }

    // MARK: Batch wait

    @Test func aFreeEngineWaitsForAFullerBatchUntilTheWaitEnds() {
        var sm = machine(inputs: 4, wait: .milliseconds(5))
        let first = enqueue(&sm, 1, [1], at: .zero)
        #expect(first.start.isEmpty)
        #expect(first.wakeUp == t0 + .milliseconds(5))
        #expect(enqueue(&sm, 2, [1], at: .milliseconds(1)).start.isEmpty)
        let woke = sm.tick(now: t0 + .milliseconds(5))
        #expect(ids(woke) == [[1, 2]])
    }

    @Test func aFullBatchDoesNotWait() {
        var sm = machine(inputs: 2, wait: .seconds(1))
        #expect(ids(enqueue(&sm, 1, [1, 1])) == [[1, 1]])
    }

    // MARK: Admission

    @Test func requestsOverTheConcurrencyLimitAreRefused() {
        var sm = machine(requests: 2)
        enqueue(&sm, 1, [1])
        enqueue(&sm, 2, [1])
        #expect(sm.enqueue(request: r(3), tokenCounts: [1], deadline: nil, now: t0) == .rejected(.tooManyRequests(limit: 2)))
        _ = finish(&sm)
        #expect(sm.activeRequests == 1)
        if case .rejected = sm.enqueue(request: r(4), tokenCounts: [1], deadline: nil, now: t0) {
            Issue.record("a finished request must free its place")
        }
        #expect(sm.counters.rejectedOverloaded == 1)
    }

    @Test func inputsOverTheQueueLimitAreRefusedPerInput() {
        var sm = machine(inputs: 1, queued: 3)
        enqueue(&sm, 1, [1])
        enqueue(&sm, 2, [1, 1])
        #expect(sm.enqueue(request: r(3), tokenCounts: [1, 1], deadline: nil, now: t0) == .rejected(.queueFull(limit: 3)))
        enqueue(&sm, 4, [1])
        #expect(sm.queuedInputs == 3)
    }

    // MARK: Deadlines

    @Test func aDeadlinePassingWhileQueuedExpiresTheRequestBeforeItRuns() {
        var sm = machine()
        enqueue(&sm, 1, [1])
        let queued = enqueue(&sm, 2, [1, 1], deadline: .milliseconds(10))
        #expect(queued.wakeUp == t0 + .milliseconds(10))
        let woke = sm.tick(now: t0 + .milliseconds(10))
        #expect(woke.expired == [r(2)])
        #expect(sm.queuedInputs == 0)
        #expect(finish(&sm, at: .milliseconds(11)).start.isEmpty)
        #expect(sm.counters.expiredQueued == 1)
        #expect(sm.counters.droppedQueuedInputs == 2)
    }

    @Test func aDeadlinePassingWhileRunningDropsTheResultOnly() {
        var sm = machine()
        enqueue(&sm, 1, [1], deadline: .milliseconds(10))
        #expect(sm.isActive(r(1)))
        let woke = sm.tick(now: t0 + .milliseconds(20))
        #expect(woke.expired == [r(1)])
        #expect(!sm.isActive(r(1)))
        #expect(sm.runningInputs == 1)
        _ = finish(&sm, at: .milliseconds(30))
        #expect(sm.counters.expiredRunning == 1)
        #expect(sm.runningInputs == 0)
    }

    @Test func anExpiredInputIsNeverPutInABatch() {
        var sm = machine()
        enqueue(&sm, 1, [1])
        enqueue(&sm, 2, [1], deadline: .milliseconds(5))
        enqueue(&sm, 3, [1])
        // No tick arrives in time; the engine frees up after the deadline.
        let next = finish(&sm, at: .milliseconds(6))
        #expect(next.expired == [r(2)])
        #expect(ids(next) == [[3]])
    }

    @Test func theWakeUpIsTheEarliestDeadline() {
        var sm = machine()
        enqueue(&sm, 1, [1])
        enqueue(&sm, 2, [1], deadline: .seconds(9))
        #expect(enqueue(&sm, 3, [1], deadline: .seconds(3)).wakeUp == t0 + .seconds(3))
    }

    // MARK: Cancellation

    @Test func cancellationRemovesQueuedInputsAndReportsRunningOnes() {
        var sm = machine(inputs: 2)
        enqueue(&sm, 1, [1, 1, 1, 1, 1])
        enqueue(&sm, 2, [1])
        #expect(sm.cancel(request: r(1)) == .init(removedFromQueue: 3, stillRunning: 2))
        #expect(sm.queuedInputs == 1)
        #expect(ids(finish(&sm)) == [[2]])
        #expect(sm.counters.cancelledRequests == 1)
        #expect(sm.counters.droppedQueuedInputs == 3)
    }

    @Test func cancellingAnUnknownRequestChangesNothing() {
        var sm = machine()
        enqueue(&sm, 1, [1])
        #expect(sm.cancel(request: r(9)) == .init(removedFromQueue: 0, stillRunning: 0))
        #expect(sm.runningInputs == 1)
    }

    // MARK: Drain

    @Test func drainingRefusesNewWorkAndFinishesQueuedWork() {
        var sm = machine(inputs: 1, wait: .seconds(1))
        enqueue(&sm, 1, [1, 1, 1])
        _ = sm.shutdown(now: t0)
        #expect(sm.enqueue(request: r(2), tokenCounts: [1], deadline: nil, now: t0) == .rejected(.shuttingDown))
        #expect(!sm.isDrained)
        #expect(finish(&sm).start.count == 1)
        #expect(finish(&sm).start.count == 1)
        #expect(!sm.isDrained)
        #expect(finish(&sm).start.isEmpty)
        #expect(sm.isDrained)
    }

    @Test func drainingEndsABatchWait() {
        var sm = machine(inputs: 4, wait: .seconds(10))
        #expect(enqueue(&sm, 1, [1]).start.isEmpty)
        #expect(ids(sm.shutdown(now: t0)) == [[1]])
    }

    // MARK: Counters

    @Test func countersAddUpBatchesAndTokens() {
        var sm = machine(inputs: 2)
        enqueue(&sm, 1, [3, 5, 4])
        _ = finish(&sm)
        let counters = sm.counters
        #expect(counters.acceptedRequests == 1)
        #expect(counters.batches == 2)
        #expect(counters.batchInputs == 3)
        #expect(counters.batchPaddedTokens == 2 * 5 + 4)
        #expect(counters.batchRealTokens == 12)
    }
}
