import Testing

@testable import Scheduler

@Suite struct BatchSchedulerStateMachineTests {
    private func machine(tokens: Int = 100, inputs: Int = 8, engines: Int = 1) -> BatchSchedulerStateMachine {
        BatchSchedulerStateMachine(
            configuration: BatchingConfiguration(maxBatchTokens: tokens, maxBatchInputs: inputs, engines: engines)
        )
    }

    private func batches(_ action: BatchSchedulerStateMachine.Action) -> [BatchSchedulerStateMachine.Batch] {
        guard case .startBatches(let batches) = action else { return [] }
        return batches
    }

    @Test func idleEngineTakesTheFirstRequestAtOnce() {
        var sm = machine()
        let started = batches(sm.enqueue(request: RequestID(1), tokenCounts: [5, 7]))
        #expect(started.count == 1)
        #expect(started[0].inputs == [InputReference(request: RequestID(1), index: 0), InputReference(request: RequestID(1), index: 1)])
        #expect(started[0].paddedTokens == 14)
        #expect(sm.queuedInputs == 0)
        #expect(sm.runningInputs == 2)
    }

    @Test func busyEngineQueuesAndNextBatchTakesEverythingQueued() {
        var sm = machine()
        _ = sm.enqueue(request: RequestID(1), tokenCounts: [5])
        #expect(sm.enqueue(request: RequestID(2), tokenCounts: [5]) == .none)
        #expect(sm.enqueue(request: RequestID(3), tokenCounts: [5, 5]) == .none)
        #expect(sm.queuedInputs == 3)
        let next = batches(sm.batchFinished(engine: 0))
        #expect(next.count == 1)
        #expect(next[0].inputs.map(\.request) == [RequestID(2), RequestID(3), RequestID(3)])
    }

    @Test func batchClosesOnPaddedTokenBudget() {
        var sm = machine(tokens: 100, inputs: 64)
        _ = sm.enqueue(request: RequestID(1), tokenCounts: [1])
        // 10, 10, 10 fit (3 x 10 = 30); a 40 makes 4 x 40 = 160 > 100, so it waits for the next batch.
        _ = sm.enqueue(request: RequestID(2), tokenCounts: [10, 10, 10, 40])
        let next = batches(sm.batchFinished(engine: 0))
        #expect(next[0].inputs.count == 3)
        #expect(next[0].paddedTokens == 30)
        let after = batches(sm.batchFinished(engine: 0))
        #expect(after[0].inputs == [InputReference(request: RequestID(2), index: 3)])
        #expect(after[0].paddedTokens == 40)
    }

    @Test func batchClosesOnInputCountAndSplitsARequest() {
        var sm = machine(tokens: 10_000, inputs: 4)
        let first = batches(sm.enqueue(request: RequestID(1), tokenCounts: Array(repeating: 3, count: 10)))
        #expect(first[0].inputs.map(\.index) == [0, 1, 2, 3])
        #expect(batches(sm.batchFinished(engine: 0))[0].inputs.map(\.index) == [4, 5, 6, 7])
        #expect(batches(sm.batchFinished(engine: 0))[0].inputs.map(\.index) == [8, 9])
        #expect(sm.batchFinished(engine: 0) == .none)
        #expect(sm.queuedInputs == 0)
    }

    @Test func anInputOverTheBudgetStillRunsAlone() {
        var sm = machine(tokens: 10)
        let started = batches(sm.enqueue(request: RequestID(1), tokenCounts: [50, 1]))
        #expect(started[0].inputs.count == 1)
        #expect(started[0].paddedTokens == 50)
    }

    @Test func severalIdleEnginesShareALargeRequest() {
        var sm = machine(tokens: 10_000, inputs: 2, engines: 3)
        let started = batches(sm.enqueue(request: RequestID(1), tokenCounts: [1, 1, 1, 1, 1]))
        #expect(started.map(\.engine).sorted() == [0, 1, 2])
        #expect(started.map(\.inputs.count) == [2, 2, 1])
        #expect(sm.busyEngines == 3)
    }

    @Test func cancellationRemovesQueuedInputsAndReportsRunningOnes() {
        var sm = machine(tokens: 10_000, inputs: 2)
        _ = sm.enqueue(request: RequestID(1), tokenCounts: [1, 1, 1, 1, 1])
        _ = sm.enqueue(request: RequestID(2), tokenCounts: [1])
        let result = sm.cancel(request: RequestID(1))
        #expect(result == .init(removedFromQueue: 3, stillRunning: 2))
        #expect(sm.queuedInputs == 1)
        #expect(batches(sm.batchFinished(engine: 0))[0].inputs == [InputReference(request: RequestID(2), index: 0)])
    }

    @Test func cancellingAnUnknownRequestChangesNothing() {
        var sm = machine()
        _ = sm.enqueue(request: RequestID(1), tokenCounts: [1])
        #expect(sm.cancel(request: RequestID(9)) == .init(removedFromQueue: 0, stillRunning: 0))
        #expect(sm.runningInputs == 1)
    }

    @Test func drainingFinishesQueuedWorkThenReportsDrained() {
        var sm = machine(tokens: 10_000, inputs: 1)
        _ = sm.enqueue(request: RequestID(1), tokenCounts: [1, 1])
        sm.shutdown()
        #expect(sm.lifecycle == .draining)
        #expect(!sm.isDrained)
        #expect(batches(sm.batchFinished(engine: 0)).count == 1)
        #expect(!sm.isDrained)
        #expect(sm.batchFinished(engine: 0) == .none)
        #expect(sm.isDrained)
    }

    @Test func fifoOrderAcrossRequests() {
        var sm = machine(tokens: 10_000, inputs: 3)
        _ = sm.enqueue(request: RequestID(1), tokenCounts: [1])
        for id in 2...7 { _ = sm.enqueue(request: RequestID(UInt64(id)), tokenCounts: [1]) }
        let order = [sm.batchFinished(engine: 0), sm.batchFinished(engine: 0)].flatMap { batches($0)[0].inputs.map(\.request.raw) }
        #expect(order == [2, 3, 4, 5, 6, 7])
    }
}
