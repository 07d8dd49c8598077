import Foundation
import Testing

@testable import Tokenizers

/// Component options, added-token flags, post-processors and truncation strategies against Python `tokenizers`.
@Suite struct VariantParityTests {
    struct Variant: Decodable, Sendable {
        var name: String
        var cases: [Case]
    }

    struct Case: Decodable, Sendable {
        var text: String
        var pair: String?
        var addSpecialTokens: Bool
        var truncation: TruncationSpec?
        var expected: ExpectedEncoding

        enum CodingKeys: String, CodingKey {
            case text, pair, truncation, expected
            case addSpecialTokens = "add_special_tokens"
        }
    }

    struct TruncationSpec: Decodable, Sendable {
        var maxLength: Int
        var direction: String
        var strategy: String

        enum CodingKeys: String, CodingKey {
            case direction, strategy
            case maxLength = "max_length"
        }

        var truncation: Truncation {
            let strategies: [String: Truncation.Strategy] = [
                "longest_first": .longestFirst, "only_first": .onlyFirst, "only_second": .onlySecond,
            ]
            return Truncation(
                maxLength: maxLength,
                direction: direction == "left" ? .left : .right,
                strategy: strategies[strategy]!
            )
        }
    }

    static let fixture: Result<(variants: [Variant], patches: [Data]), any Error> = Result {
        let data = try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("variants-expected.json"))
        struct File: Decodable { var variants: [Variant] }
        let variants = try JSONDecoder().decode(File.self, from: data).variants
        let raw = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let patches = try (raw["variants"] as! [[String: Any]]).map {
            try JSONSerialization.data(withJSONObject: $0["patch"]!)
        }
        return (variants, patches)
    }

    static var variantIndices: [Int] {
        Array(0..<((try? fixture.get().variants.count) ?? 0))
    }

    @Test func fixtureIsPresent() throws {
        #expect(try Self.fixture.get().variants.count >= 10)
    }

    @Test(arguments: variantIndices)
    func variantMatchesPython(_ index: Int) throws {
        let (variants, patches) = try Self.fixture.get()
        let variant = variants[index]
        let patch = try JSONSerialization.jsonObject(with: patches[index]) as! [String: Any]
        let tokenizer = try TestSupport.miniLM(patchedWith: patch)
        var mismatches: [String] = []
        for item in variant.cases {
            let truncation = item.truncation?.truncation
            let actual =
                if let pair = item.pair {
                    tokenizer.encode(
                        pair: item.text, pair, addSpecialTokens: item.addSpecialTokens, truncation: truncation)
                } else {
                    tokenizer.encode(item.text, addSpecialTokens: item.addSpecialTokens, truncation: truncation)
                }
            if let difference = item.expected.difference(from: actual) {
                let input = String(reflecting: String(item.text.prefix(60)))
                mismatches.append(
                    "\(input) special=\(item.addSpecialTokens) \(item.truncation.map { "\($0)" } ?? ""): \(difference)")
            }
        }
        if !mismatches.isEmpty {
            let first = mismatches.prefix(5).joined(separator: "\n")
            Issue.record("\(variant.name): \(mismatches.count)/\(variant.cases.count) cases differ; first:\n\(first)")
        }
    }
}
