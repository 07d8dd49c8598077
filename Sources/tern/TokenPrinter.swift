import Foundation
import InferenceCore

/// Writes `tern tokenize`'s output, one input at a time.
struct TokenPrinter {
    let format: TokenizeCommand.Format
    private var printed = 0

    init(format: TokenizeCommand.Format) {
        self.format = format
    }

    /// Prints one input's tokens.
    mutating func print(_ tokens: [TokenView]) {
        defer { printed += 1 }
        switch format {
        case .ids:
            Swift.print(tokens.map { String($0.id) }.joined(separator: " "))
        case .json:
            Swift.print(Self.json(tokens))
        case .text:
            if printed > 0 { Swift.print() }
            for token in tokens {
                let span = token.span.map { "\($0.lowerBound)\t\($0.upperBound)" } ?? "-\t-"
                let text = token.text.debugDescription
                Swift.print("\(token.id)\t\(text)\t\(span)\(token.special ? "\tspecial" : "")")
            }
        }
    }

    private struct Row: Encodable {
        let id: Int32
        let text: String
        let special: Bool
        let start: Int?
        let stop: Int?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(text, forKey: .text)
            try container.encode(special, forKey: .special)
            try container.encode(start, forKey: .start)
            try container.encode(stop, forKey: .stop)
        }

        private enum CodingKeys: String, CodingKey { case id, text, special, start, stop }
    }

    private static func json(_ tokens: [TokenView]) -> String {
        let rows = tokens.map {
            Row(id: $0.id, text: $0.text, special: $0.special, start: $0.span?.lowerBound, stop: $0.span?.upperBound)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(rows), let text = String(data: data, encoding: .utf8) else { return "[]" }
        return text
    }
}
