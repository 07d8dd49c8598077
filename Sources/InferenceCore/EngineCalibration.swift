import Foundation
import Scheduler
import Synchronization

/// `--engines auto` / `--threads auto`: which engines x threads layouts a text model measures at load, and how.
///
/// Each candidate gets its own session (intra-op threads are a session setting), warmed with one batch, then
/// driven by one thread per engine for `duration`: every thread tokenizes a batch of sample sentences with the
/// model's tokenizer and runs it, as a request's task and an engine do under closed-loop load. The layout with
/// the most inputs per second wins; one within `tieMargin` of it with fewer engines wins instead (a lone
/// request then gets more cores, and fewer batches are in flight). Candidates are measured one after another,
/// so at most two sessions exist at once.
public struct EngineCalibration: Sendable, Hashable {
    /// The layouts to measure, fewest engines first.
    public var candidates: [PipelineConfiguration.EngineLayout]
    /// How long each candidate is driven after its warm-up batch.
    public var duration: Duration = .milliseconds(800)
    /// A layout with fewer engines is kept when it is within this share of the fastest.
    public var tieMargin = 0.03

    public init(candidates: [PipelineConfiguration.EngineLayout]) {
        self.candidates = candidates
    }

    /// The layouts worth measuring on `cores` cores when `engines` or `threads` (nil: `auto`) is left to
    /// measurement: every engine count and thread count a power of two whose product is the core count (at most
    /// 8 engines), or with one of them fixed, the other's powers of two up to what fills the cores.
    public static func candidates(engines: Int?, threads: Int?, cores: Int) -> [PipelineConfiguration.EngineLayout] {
        let cores = Swift.max(1, cores)
        var powers: [Int] = []
        var power = 1
        while power <= cores {
            powers.append(power)
            power *= 2
        }
        switch (engines, threads) {
        case (nil, nil):
            return powers.filter { $0 <= 8 }.map { .init(engines: $0, threads: Swift.max(1, cores / $0)) }
        case (nil, let threads?):
            return powers.filter { $0 * threads <= Swift.max(cores, threads) && $0 <= 8 }
                .map { .init(engines: $0, threads: threads) }
        case (let engines?, nil):
            return powers.filter { $0 * engines <= Swift.max(cores, engines) }.reversed()
                .map { .init(engines: engines, threads: $0) }
        case (let engines?, let threads?):
            return [.init(engines: engines, threads: threads)]
        }
    }

    /// The winner of `measurements` (in candidate order): the most inputs per second, or the first (fewest
    /// engines) within `tieMargin` of it.
    public func choose(_ measurements: [EngineCalibrationReport.Measurement]) -> PipelineConfiguration.EngineLayout? {
        guard let best = measurements.map(\.inputsPerSecond).max() else { return nil }
        return measurements.first { $0.inputsPerSecond >= best * (1 - tieMargin) }?.layout
    }
}

/// What a calibration measured and chose, for the log and `/info`.
public struct EngineCalibrationReport: Sendable {
    public struct Measurement: Sendable {
        public var layout: PipelineConfiguration.EngineLayout
        public var inputsPerSecond: Double

        public init(layout: PipelineConfiguration.EngineLayout, inputsPerSecond: Double) {
            self.layout = layout
            self.inputsPerSecond = inputsPerSecond
        }
    }

    /// The layout served.
    public var chosen: PipelineConfiguration.EngineLayout
    /// Inputs per batch in the measurement (what the batch limits make of short sentences).
    public var batchInputs: Int
    /// Every candidate's throughput, in candidate order (empty when the layout was given, not measured).
    public var measurements: [Measurement]
    /// How long the calibration took, sessions included.
    public var elapsed: Duration
}

extension EngineCalibration {
    /// Sample sentences: short queries of 10-20 tokens, the load the layouts differ most on.
    static let sampleSentences = [
        "How do I reset the password of my account?",
        "The quarterly report shows revenue growing faster than costs.",
        "Which trains leave for the airport after ten in the evening?",
        "A quiet street with old trees and small cafes near the river.",
        "Our team ships a new release of the inference server every week.",
        "What is the difference between a loan and a line of credit?",
        "The museum opens its new wing of modern art next spring.",
        "Please summarise the main findings of this clinical study.",
    ]

    /// Measures every candidate with `make` (a warmed-up engine set for the layout) and `run` (tokenize and
    /// compute one batch on engine `engine`, returning how many inputs it computed); keeps the winner.
    /// Blocking: called on the load thread.
    func calibrate<Engines: Sendable>(
        make: (PipelineConfiguration.EngineLayout) throws -> Engines,
        run: @escaping @Sendable (Engines, _ engine: Int) throws -> Int,
        batchInputs: Int
    ) throws -> (Engines, EngineCalibrationReport) {
        let clock = ContinuousClock()
        let start = clock.now
        var measurements: [EngineCalibrationReport.Measurement] = []
        var best: (engines: Engines, layout: PipelineConfiguration.EngineLayout)?
        for layout in candidates {
            let engines = try make(layout)
            let inputsPerSecond = try Self.throughput(of: engines, layout: layout, for: duration, run: run)
            measurements.append(.init(layout: layout, inputsPerSecond: inputsPerSecond))
            // Keep only the current leader's sessions alive.
            if best == nil || choose(measurements) == layout { best = (engines, layout) }
        }
        guard let best else { throw CalibrationError() }
        return (
            best.engines,
            EngineCalibrationReport(
                chosen: best.layout, batchInputs: batchInputs, measurements: measurements, elapsed: clock.now - start)
        )
    }

    /// One warm-up batch on each engine, then every engine on a thread of its own until `duration` has passed;
    /// inputs per second over the time until the last engine finished its last batch.
    private static func throughput<Engines: Sendable>(
        of engines: Engines, layout: PipelineConfiguration.EngineLayout, for duration: Duration,
        run: @escaping @Sendable (Engines, Int) throws -> Int
    ) throws -> Double {
        for engine in 0..<layout.engines { _ = try run(engines, engine) }
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + duration
        // Each engine's thread counts on its own and reports once, when its time is up.
        let results = Mutex<[Result<Int, any Error>]>([])
        let done = DispatchSemaphore(value: 0)
        for engine in 0..<layout.engines {
            // A thread per engine, as the scheduler has (a shared pool could run two engines' loops one after
            // another).
            Thread {
                let result = Result {
                    var inputs = 0
                    while clock.now < end { inputs += try run(engines, engine) }
                    return inputs
                }
                results.withLock { $0.append(result) }
                done.signal()
            }.start()
        }
        for _ in 0..<layout.engines { done.wait() }
        let elapsed = Double((clock.now - start).wholeNanoseconds) / 1e9
        let inputs = try results.withLock { try $0.reduce(0) { try $0 + $1.get() } }
        return Double(inputs) / Swift.max(elapsed, 1e-9)
    }

    struct CalibrationError: Error, CustomStringConvertible {
        var description: String { "no engine layout to calibrate" }
    }
}
