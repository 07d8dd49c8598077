import Foundation
import Testing

@testable import TernServer

@Suite struct ProcessMetricsTests {
    /// VmRSS from /proc/self/status, in bytes: an independent reading of the same number.
    private func statusResidentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kib = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kib * 1024
    }

    @Test func residentMemoryMatchesProcStatus() throws {
        let fromStatm = try #require(ProcessMemory.residentBytes())
        let fromStatus = try statusResidentBytes()
        #expect(fromStatm > 1024 * 1024)
        #expect(abs(fromStatm - fromStatus) < fromStatus / 10)
    }

    @Test func durationBucketsSpanHalfAMillisecondToThirtySeconds() {
        let buckets = MetricBuckets.durations
        #expect(buckets.first == .microseconds(500))
        #expect(buckets.last == .seconds(30))
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 })
        for (name, values) in MetricBuckets.values {
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "\(name)")
        }
    }
}
