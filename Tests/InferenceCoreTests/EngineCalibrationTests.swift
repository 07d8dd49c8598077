import Foundation
import Synchronization
import Testing

@testable import InferenceCore

@Suite struct EngineCalibrationTests {
    private typealias Layout = PipelineConfiguration.EngineLayout

    private static func pairs(_ layouts: [Layout]) -> [[Int]] { layouts.map { [$0.engines, $0.threads] } }

    @Test func bothAutoTriesEveryPowerOfTwoSplitOfTheCores() {
        #expect(Self.pairs(EngineCalibration.candidates(engines: nil, threads: nil, cores: 2)) == [[1, 2], [2, 1]])
        #expect(
            Self.pairs(EngineCalibration.candidates(engines: nil, threads: nil, cores: 16))
                == [[1, 16], [2, 8], [4, 4], [8, 2]])
        // 6 cores: 1 x 6, 2 x 3, 4 x 1 (the remainder of a split is left idle rather than oversubscribed).
        #expect(
            Self.pairs(EngineCalibration.candidates(engines: nil, threads: nil, cores: 6)) == [[1, 6], [2, 3], [4, 1]])
        #expect(Self.pairs(EngineCalibration.candidates(engines: nil, threads: nil, cores: 1)) == [[1, 1]])
        #expect(Self.pairs(EngineCalibration.candidates(engines: nil, threads: nil, cores: 0)) == [[1, 1]])
    }

    @Test func oneGivenCountFixesItAndTriesTheOther() {
        #expect(Self.pairs(EngineCalibration.candidates(engines: nil, threads: 1, cores: 4)) == [[1, 1], [2, 1], [4, 1]])
        #expect(Self.pairs(EngineCalibration.candidates(engines: nil, threads: 2, cores: 4)) == [[1, 2], [2, 2]])
        #expect(Self.pairs(EngineCalibration.candidates(engines: 1, threads: nil, cores: 4)) == [[1, 4], [1, 2], [1, 1]])
        #expect(Self.pairs(EngineCalibration.candidates(engines: 2, threads: nil, cores: 2)) == [[2, 1]])
        // More threads than cores asked for: that one layout, never a larger one.
        #expect(Self.pairs(EngineCalibration.candidates(engines: nil, threads: 8, cores: 2)) == [[1, 8]])
        #expect(Self.pairs(EngineCalibration.candidates(engines: 3, threads: 5, cores: 2)) == [[3, 5]])
    }

    @Test func theFastestWinsUnlessFewerEnginesAreWithinTheMargin() {
        let calibration = EngineCalibration(candidates: [])
        func measured(_ values: [Double]) -> [EngineCalibrationReport.Measurement] {
            values.enumerated().map { .init(layout: .init(engines: 1 << $0.offset, threads: 1), inputsPerSecond: $0.element) }
        }
        #expect(calibration.choose(measured([100, 120]))?.engines == 2)
        #expect(calibration.choose(measured([100, 102]))?.engines == 1)
        #expect(calibration.choose(measured([100, 96.5, 140, 141]))?.engines == 4)
        #expect(calibration.choose(measured([]))  == nil)
    }

    /// Engines that compute `inputs` per batch in `batchTime`: sleeping, so two engines really run at once.
    private final class FakeEngines: Sendable {
        let layout: Layout
        let inputs: Int
        static let alive = Mutex(0)

        init(_ layout: Layout, inputs: Int) {
            self.layout = layout
            self.inputs = inputs
            Self.alive.withLock { $0 += 1 }
        }

        deinit { Self.alive.withLock { $0 -= 1 } }
    }

    @Test func calibrationMeasuresEachLayoutOnThreadsOfItsOwnAndKeepsTheWinner() throws {
        var calibration = EngineCalibration(candidates: [.init(engines: 1, threads: 2), .init(engines: 2, threads: 1)])
        calibration.duration = .milliseconds(200)
        var peakAlive = 0
        // The same batch time and size per engine: two engines compute twice as much.
        let (engines, report) = try calibration.calibrate(
            make: { layout in
                let made = FakeEngines(layout, inputs: 8)
                peakAlive = Swift.max(peakAlive, FakeEngines.alive.withLock { $0 })
                return made
            },
            run: { engines, engine in
                precondition(engine < engines.layout.engines)
                Thread.sleep(forTimeInterval: 0.005)
                return engines.inputs
            },
            batchInputs: 8)
        #expect(engines.layout == Layout(engines: 2, threads: 1))
        #expect(report.chosen == Layout(engines: 2, threads: 1) && report.batchInputs == 8)
        #expect(Self.pairs(report.measurements.map(\.layout)) == [[1, 2], [2, 1]])
        let rates = report.measurements.map(\.inputsPerSecond)
        #expect(rates[1] > rates[0] * 1.5, "two sleeping engines overlap: \(rates)")
        #expect(peakAlive <= 2)
        #expect(report.elapsed >= .milliseconds(400))

        // One engine computing three times the inputs per batch beats two.
        let (single, _) = try calibration.calibrate(
            make: { layout in FakeEngines(layout, inputs: layout.engines == 1 ? 24 : 8) },
            run: { engines, _ in
                Thread.sleep(forTimeInterval: 0.005)
                return engines.inputs
            },
            batchInputs: 8)
        #expect(single.layout == Layout(engines: 1, threads: 2))
    }

    @Test func anEngineFailureStopsTheCalibration() {
        var calibration = EngineCalibration(candidates: [.init(engines: 1, threads: 2), .init(engines: 2, threads: 1)])
        calibration.duration = .milliseconds(50)
        struct Broken: Error {}
        #expect(throws: Broken.self) {
            _ = try calibration.calibrate(
                make: { $0 },
                run: { layout, engine in
                    if layout.engines == 2 && engine == 1 { throw Broken() }
                    return 1
                },
                batchInputs: 1)
        }
    }
}
