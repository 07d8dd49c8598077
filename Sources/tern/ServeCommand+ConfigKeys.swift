import ArgumentParser

extension ServeCommand {
    /// Options that only make sense on the command line or in the environment, never in a config file.
    static let commandLineOnly: Set<String> = ["config", "print-config"]

    /// The keys a `--config` file may hold, in the order `tern serve --help` lists them: each option's
    /// long name, derived as ArgumentParser derives it (`maxBatchTokens` is `max-batch-tokens`), so a new
    /// `@Option` is a new key without further edits.
    static var fileKeys: [String] {
        Mirror(reflecting: ServeCommand()).children.compactMap { child in
            guard let label = child.label, label.hasPrefix("_") else { return nil }
            let key = longName(String(label.dropFirst()))
            return commandLineOnly.contains(key) ? nil : key
        }
    }

    /// `maxBatchTokens` -> `max-batch-tokens`, `modelID` -> `model-id`.
    static func longName(_ property: String) -> String {
        var name = ""
        var previous: Character?
        for character in property {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                name.append("-")
            }
            name.append(Character(character.lowercased()))
            previous = character
        }
        return name
    }
}
