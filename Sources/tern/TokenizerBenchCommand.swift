import ArgumentParser
import Dispatch
import Foundation
import Tokenizers

/// `tern bench tokenizer`: tokens per second of the Swift tokenizer over a corpus, on one or several threads.
///
/// Each thread encodes every `threads`-th line (or pair of neighbouring lines) in a loop; the corpus is encoded once
/// to warm up, then again until `--seconds` have passed. `bench/tokenizer_bench.py` runs it next to Python
/// `tokenizers` on the same corpus.
struct TokenizerBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Measure tokens per second of a tokenizer.json over a corpus."
    )

    @Option(help: "The tokenizer.json to load.")
    var tokenizer: String

    @Option(help: "The corpus: one text per line, or JSON lines with a \"text\" field when the name ends in .jsonl.")
    var corpus: String

    @Option(help: "Threads encoding at once.")
    var threads: Int = 1

    @Option(help: "Measure for at least this many seconds.")
    var seconds: Double = 3

    @Flag(help: "Encode each line paired with the next one (as rerankers do).")
    var pairs = false

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
    }

    func run() throws {
        let loadStart = ContinuousClock.now
        let model = try Tokenizer(contentsOf: URL(fileURLWithPath: tokenizer))
        let loadTime = ContinuousClock.now - loadStart
        let texts = try Self.readCorpus(at: corpus)
        guard !texts.isEmpty else { throw ValidationError("the corpus \(corpus) holds no text") }
        // Warm-up pass (caches, lazily built tables), which also counts the tokens of one pass.
        let tokensPerPass = Self.encodePass(model, texts, pairs: pairs, threads: threads)
        var passes = 0
        let start = ContinuousClock.now
        var elapsed = Duration.zero
        repeat {
            _ = Self.encodePass(model, texts, pairs: pairs, threads: threads)
            passes += 1
            elapsed = ContinuousClock.now - start
        } while elapsed < .milliseconds(Int64(seconds * 1000))
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let tokensPerSecond = Double(tokensPerPass * passes) / elapsedSeconds
        let loadSeconds = Double(loadTime.components.seconds) + Double(loadTime.components.attoseconds) * 1e-18
        if json {
            print(
                """
                {"tokens_per_second": \(Int(tokensPerSecond)), "tokens_per_pass": \(tokensPerPass), \
                "lines": \(texts.count), "passes": \(passes), "seconds": \(elapsedSeconds), \
                "threads": \(threads), "pairs": \(pairs), "load_seconds": \(loadSeconds)}
                """)
        } else {
            print("tokenizer: \(tokenizer)")
            print("corpus: \(texts.count) lines, \(tokensPerPass) tokens per pass\(pairs ? " (pairs)" : "")")
            print("threads: \(threads), passes: \(passes), seconds: \(String(format: "%.2f", elapsedSeconds))")
            print("load: \(String(format: "%.3f", loadSeconds)) s")
            print("tokens/s: \(Int(tokensPerSecond))")
        }
    }

    /// Encodes every line (or pair) once over `threads` threads; returns the number of tokens.
    static func encodePass(_ tokenizer: Tokenizer, _ texts: [String], pairs: Bool, threads: Int) -> Int {
        let counts = TokenCounts(threads)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var tokens = 0
            for index in stride(from: thread, to: texts.count, by: threads) {
                if pairs {
                    tokens += tokenizer.encode(pair: texts[index], texts[(index + 1) % texts.count]).count
                } else {
                    tokens += tokenizer.encode(texts[index]).count
                }
            }
            counts.set(thread, tokens)
        }
        return counts.total
    }

    /// Lines of a text file, or the "text" fields of a JSON-lines file.
    static func readCorpus(at path: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: !path.hasSuffix(".jsonl"))
        guard path.hasSuffix(".jsonl") else { return lines.map { String(decoding: $0, as: UTF8.self) } }
        struct Line: Decodable { var text: String }
        let decoder = JSONDecoder()
        return try lines.filter { !$0.isEmpty }.map { try decoder.decode(Line.self, from: Data($0)).text }
    }
}

/// Per-thread token counts written from `concurrentPerform`.
private final class TokenCounts: @unchecked Sendable {
    // Safe: each thread writes only its own slot under the lock, and `total` is read after all threads finish.
    private var counts: [Int]
    private let lock = NSLock()

    init(_ threads: Int) { counts = Array(repeating: 0, count: threads) }

    func set(_ thread: Int, _ value: Int) { lock.withLock { counts[thread] = value } }

    var total: Int { lock.withLock { counts.reduce(0, +) } }
}
