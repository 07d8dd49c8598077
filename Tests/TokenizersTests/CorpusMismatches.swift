import Testing

/// Corpus lines whose encoding differs from the reference, reported together as one issue (the first five
/// shown) so a failing parity run names every line at fault without flooding the log.
struct CorpusMismatches {
    private var lines: [String] = []

    /// Notes that line `index` (0-based) of the corpus, `text`, came out wrong.
    mutating func add(line index: Int, text: String, _ problem: String) {
        lines.append("line \(index + 1) \(String(reflecting: String(text.prefix(60)))): \(problem.prefix(600))")
    }

    /// Records one issue when any line differed.
    func record(of total: Int, in variant: String) {
        guard !lines.isEmpty else { return }
        let first = lines.prefix(5).joined(separator: "\n")
        Issue.record("\(lines.count)/\(total) lines differ (\(variant)); first:\n\(first)")
    }
}
