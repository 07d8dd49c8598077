import InferenceCore

/// `--max-input-chars`: the longest text one input may be, in Unicode scalars (what Python's `len`
/// counts), checked before tokenization so an oversized input costs no tokenizer time.
struct InputLengthLimit: Sendable {
    /// An input over the limit: its position in the request and its length.
    struct Violation: Equatable {
        let index: Int
        let length: Int
    }

    let limit: Int

    /// The first text over the limit, nil when all fit. UTF-8 never has fewer bytes than scalars, so texts
    /// within the limit in bytes are not counted.
    func firstViolation(_ texts: some Sequence<String>) -> Violation? {
        for (index, text) in texts.enumerated() {
            guard text.utf8.count > limit else { continue }
            let length = text.unicodeScalars.count
            if length > limit { return Violation(index: index, length: length) }
        }
        return nil
    }

    func firstViolation(_ inputs: [EmbeddingInput]) -> Violation? {
        firstViolation(inputs.lazy.map { if case .text(let text) = $0 { text } else { "" } })
    }

    func firstViolation(_ inputs: [ClassificationInput]) -> Violation? {
        firstViolation(inputs.lazy.map { input -> String in
            switch input {
            case .single(let text): text
            case .pair(let first, let second):
                first.unicodeScalars.count >= second.unicodeScalars.count ? first : second
            }
        })
    }

    /// The message every API uses.
    func message(_ violation: Violation, field: String) -> String {
        "\(field)[\(violation.index)] has \(violation.length) characters, more than the limit of \(limit)"
    }
}
