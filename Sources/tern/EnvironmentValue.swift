import ArgumentParser
import Foundation

/// Option values that come from the command line, else an environment variable, else a default.
struct EnvironmentValue {
    let environment: [String: String]

    init(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The command-line value, else the variable parsed as `T`, else nil.
    /// - Throws: `ValidationError` naming the variable when its value does not parse.
    func resolve<T: ExpressibleByArgument>(_ commandLine: T?, _ variable: String) throws -> T? {
        if let commandLine { return commandLine }
        guard let raw = environment[variable], !raw.isEmpty else { return nil }
        guard let value = T(argument: raw) else {
            throw ValidationError("environment variable \(variable)='\(raw)' is not a valid value")
        }
        return value
    }

    /// A flag's command-line value, else the variable as a boolean (1/0, true/false, yes/no, on/off).
    func resolveFlag(_ commandLine: Bool?, _ variable: String) throws -> Bool? {
        if let commandLine { return commandLine }
        guard let raw = environment[variable]?.lowercased(), !raw.isEmpty else { return nil }
        switch raw {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ValidationError("environment variable \(variable)='\(raw)' is not a boolean")
        }
    }
}
