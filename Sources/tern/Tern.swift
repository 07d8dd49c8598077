import ArgumentParser
import TernServer

/// The `tern` command: a model-inference server.
@main
struct Tern: AsyncParsableCommand {
    static let version = TernVersion.current

    static let configuration = CommandConfiguration(
        commandName: "tern",
        abstract: "Serve ONNX models over the OpenAI, text-embeddings-inference and KServe v2 APIs.",
        version: version,
        subcommands: [ServeCommand.self, TokenizeCommand.self, BenchCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

/// `tern bench`: measurements of Tern's own parts, outside the server.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure parts of Tern on this machine.",
        subcommands: [TokenizerBenchCommand.self, ImageBenchCommand.self]
    )
}
