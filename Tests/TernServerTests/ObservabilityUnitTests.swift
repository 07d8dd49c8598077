import Foundation
import HTTPTypes
import InferenceCore
import Logging
import Scheduler
import Synchronization
import Testing

@testable import TernServer

@Suite struct RequestIdentifierTests {
    @Test func keepsAUsableClientID() {
        #expect(RequestIdentifier.resolve("abc-123_XYZ.:/") == "abc-123_XYZ.:/")
        #expect(RequestIdentifier.resolve(String(repeating: "a", count: 128)) == String(repeating: "a", count: 128))
    }

    @Test func replacesMissingOrUnusableIDs() {
        for bad in [nil, "", String(repeating: "a", count: 129), "two words", "tab\there", "é", "line\nbreak"] {
            let id = RequestIdentifier.resolve(bad)
            #expect(id != bad)
            #expect(id.count == 32)
            #expect(id.allSatisfy { $0.isHexDigit })
        }
    }

    @Test func madeIDsDiffer() {
        let ids = Set((0..<1000).map { _ in RequestIdentifier.make() })
        #expect(ids.count == 1000)
    }
}

@Suite struct FailureReasonTests {
    @Test func statusesMapToReasons() {
        #expect(FailureReason(status: .ok) == nil)
        #expect(FailureReason(status: .badRequest) == .validation)
        #expect(FailureReason(status: .unauthorized) == .validation)
        #expect(FailureReason(status: .contentTooLarge) == .validation)
        #expect(FailureReason(status: .unprocessableContent) == .validation)
        #expect(FailureReason(status: .tooManyRequests) == .overloaded)
        #expect(FailureReason(status: .serviceUnavailable) == .overloaded)
        #expect(FailureReason(status: .gatewayTimeout) == .timeout)
        #expect(FailureReason(status: .init(code: 499)) == .cancelled)
        #expect(FailureReason(status: .init(code: 424)) == .backend)
        #expect(FailureReason(status: .internalServerError) == .backend)
    }
}

@Suite struct TimingHeadersTests {
    @Test func wholeMillisecondsLikeTEI() {
        let start = ContinuousClock.now
        var timings = RequestTimings()
        timings.tokenization = .microseconds(2_900)
        timings.tokens = 7
        timings.scheduling = SchedulerTimings(
            enqueued: start, started: start + .milliseconds(3), finished: start + .microseconds(15_999))
        var headers = HTTPFields()
        TimingHeaders.add(timings, total: .microseconds(21_500), to: &headers)
        #expect(headers[TimingHeaders.totalTimeName] == "21")
        #expect(headers[TimingHeaders.tokenizationTimeName] == "2")
        #expect(headers[TimingHeaders.queueTimeName] == "3")
        #expect(headers[TimingHeaders.inferenceTimeName] == "12")
        #expect(headers[TimingHeaders.computeTokensName] == "7")
    }

    @Test func keepsARoutesOwnComputeTokens() {
        var headers = TimingHeaders.computeTokens(11)
        TimingHeaders.add(RequestTimings(), total: .zero, to: &headers)
        #expect(headers[TimingHeaders.computeTokensName] == "11")
    }
}

@Suite struct JSONLogHandlerTests {
    private func object(_ line: String) throws -> [String: Any] {
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false)
        return try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func oneObjectPerLineWithFlattenedMetadata() throws {
        let line = JSONLogHandler.line(
            timestamp: Date(timeIntervalSince1970: 1_700_000_000.25), level: .info, label: "tern",
            message: "request \"quoted\"\nnext",
            metadata: [
                "route": "/v1/embeddings", "status": .stringConvertible(200), "ratio": .stringConvertible(0.5),
                "nested": ["inner": "x"], "message": "clash", "list": ["a", "b"], "ctl": "\u{1}",
            ])
        let json = try object(line)
        #expect(json["timestamp"] as? String == "2023-11-14T22:13:20.250Z")
        #expect(json["level"] as? String == "info")
        #expect(json["label"] as? String == "tern")
        #expect(json["message"] as? String == "request \"quoted\"\nnext")
        #expect(json["route"] as? String == "/v1/embeddings")
        #expect(json["status"] as? Int == 200)
        #expect(json["ratio"] as? Double == 0.5)
        #expect(json["nested.inner"] as? String == "x")
        #expect(json["metadata.message"] as? String == "clash")
        #expect(json["list"] as? [String] == ["a", "b"])
        #expect(json["ctl"] as? String == "\u{1}")
    }

    @Test func handlerMergesLoggerAndEventMetadataAndHonoursLevel() throws {
        let lines = Mutex<[String]>([])
        var handler = JSONLogHandler(label: "t") { line in lines.withLock { $0.append(line) } }
        handler.logLevel = .info
        handler[metadataKey: "request_id"] = "r1"
        let logger = Logger(label: "t") { _ in handler }
        logger.debug("hidden")
        logger.info("shown", metadata: ["model": "m"])
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let json = try object(try #require(written.first))
        #expect(json["request_id"] as? String == "r1")
        #expect(json["model"] as? String == "m")
        #expect(json["message"] as? String == "shown")
    }
}
