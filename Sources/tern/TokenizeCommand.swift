import ArgumentParser
import Foundation
import InferenceCore
import Tokenizers

/// `tern tokenize`: show how a model's tokenizer splits text, without loading the model.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize text with a model's tokenizer.json and print the tokens.",
        discussion: "Reads the texts from the arguments, or one per line from standard input when none are given."
    )

    /// How the tokens are printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// One token per line: id, text, start and stop (Unicode scalars); a blank line between inputs.
        case text
        /// One JSON array per input and line, in `/tokenize`'s shape.
        case json
        /// One line of space-separated ids per input.
        case ids
    }

    @Option(help: "Model directory whose tokenizer.json to use.")
    var model: String?

    @Option(help: "Path to a tokenizer.json (instead of --model).")
    var tokenizer: String?

    @Flag(inversion: .prefixedNo, help: "Add the special tokens the model expects ([CLS], </s>, ...); default on.")
    var specialTokens = true

    @Option(help: "Output: text, json or ids; default text.")
    var format: Format = .text

    @Argument(help: "Texts to tokenize; default: each line of standard input.")
    var texts: [String] = []

    func validate() throws {
        if (model == nil) == (tokenizer == nil) {
            throw ValidationError("give exactly one of --model DIR or --tokenizer FILE")
        }
    }

    func run() throws {
        let file: URL
        if let tokenizer {
            file = URL(fileURLWithPath: tokenizer)
        } else {
            file = URL(fileURLWithPath: model ?? ".").appendingPathComponent("tokenizer.json")
        }
        let loaded: Tokenizer
        do { loaded = try Tokenizer(contentsOf: file) } catch {
            throw ValidationError("cannot load \(file.path): \(error)")
        }
        var output = TokenPrinter(format: format)
        if texts.isEmpty {
            while let line = readLine(strippingNewline: true) {
                output.print(loaded.tokenViews(of: line, addSpecialTokens: specialTokens))
            }
        } else {
            for text in texts { output.print(loaded.tokenViews(of: text, addSpecialTokens: specialTokens)) }
        }
    }
}
