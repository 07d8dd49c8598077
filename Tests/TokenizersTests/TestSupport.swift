import Foundation
import Testing

@testable import Tokenizers

/// Locations and shared loads for the tokenizer tests.
enum TestSupport {
    /// The repository root, found from this file's path (symlinked checkouts resolved).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures = repositoryRoot.appendingPathComponent("Tests/TokenizersTests/Fixtures")

    static let miniLMURL = repositoryRoot.appendingPathComponent("models/all-MiniLM-L6-v2/tokenizer.json")

    struct MissingModel: Error, CustomStringConvertible {
        var description: String {
            "\(TestSupport.miniLMURL.path) is missing: run scripts/fetch-models to download the test models"
        }
    }

    private static let miniLMLoad: Result<Tokenizer, any Error> = Result {
        guard FileManager.default.fileExists(atPath: miniLMURL.path) else { throw MissingModel() }
        return try Tokenizer(contentsOf: miniLMURL)
    }

    /// all-MiniLM-L6-v2's tokenizer; throws (failing the test, never skipping it) when the model is missing.
    static func miniLM() throws -> Tokenizer {
        try miniLMLoad.get()
    }

    /// The raw tokenizer.json of all-MiniLM-L6-v2 as a JSON object, for tests that patch it.
    static func miniLMJSON() throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: miniLMURL.path) else { throw MissingModel() }
        let data = try Data(contentsOf: miniLMURL)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A tokenizer built from all-MiniLM-L6-v2's tokenizer.json with top-level keys replaced.
    static func miniLM(patchedWith patch: [String: Any]) throws -> Tokenizer {
        var json = try miniLMJSON()
        json.merge(patch) { _, new in new }
        return try Tokenizer(data: JSONSerialization.data(withJSONObject: json))
    }

    struct MissingTokenizer: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is missing: run scripts/fetch-tokenizer-models to build it" }
    }

    /// The raw models/<model>/tokenizer.json (built by scripts/fetch-tokenizer-models) as a JSON object; throws
    /// (failing the test, never skipping it) when it is missing.
    static func tokenizerJSON(model: String) throws -> [String: Any] {
        let url = repositoryRoot.appendingPathComponent("models/\(model)/tokenizer.json")
        guard FileManager.default.fileExists(atPath: url.path) else { throw MissingTokenizer(path: url.path) }
        let data = try Data(contentsOf: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The corpus texts, one per line of corpus.jsonl.
    static func corpus() throws -> [String] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("corpus.jsonl"))
        struct Line: Decodable { var text: String }
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(Line.self, from: $0).text }
    }

    /// FNV-1a (64-bit, hex) of "ids|type_ids|special_tokens_mask|offsets", as the fixture scripts compute it.
    static func digest(_ encoding: Encoding) -> String {
        func joined(_ values: [some BinaryInteger]) -> String { values.map { "\($0)" }.joined(separator: ",") }
        let offsets = encoding.offsets.flatMap { [$0.lowerBound, $0.upperBound] }
        let text = [
            joined(encoding.ids), joined(encoding.typeIds), joined(encoding.specialTokensMask), joined(offsets),
        ].joined(separator: "|")
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// What a mismatching encoding holds, for the failure message.
    static func describe(_ encoding: Encoding) -> String {
        let offsets = encoding.offsets.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
        return "ids \(encoding.ids) type ids \(encoding.typeIds) special \(encoding.specialTokensMask) offsets \(offsets)"
    }
}
