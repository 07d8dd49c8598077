import ArgumentParser

/// `tern bench`: measurements of Tern's own parts, outside the server.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure parts of Tern on this machine.",
        subcommands: [TokenizerBenchCommand.self]
    )
}
