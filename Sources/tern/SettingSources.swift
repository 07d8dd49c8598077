import ArgumentParser
import Foundation

/// Where `tern serve`'s settings come from, strongest first: the command line, the environment (`TERN_*`),
/// the `--config` file, the default. Every option is looked up by its environment variable; its file key is
/// the option's long name (`TERN_MAX_BATCH_TOKENS` is `max-batch-tokens`). Each lookup is recorded, so
/// `--print-config` shows the effective value of every option and where it came from.
final class SettingSources {
    /// Where an effective value came from.
    enum Origin: String {
        case commandLine = "command line"
        case environment
        case file = "config file"
        case defaults = "default"
    }

    /// One option's effective value; nil when the default is decided later (by the model).
    struct Resolved {
        var value: SettingValue?
        var origin: Origin
        /// Whether the value is a number or a boolean, written plain in YAML; anything else is quoted.
        var isPlain = false
    }

    let environment: [String: String]
    let file: ConfigFile?
    private(set) var resolved: [String: Resolved] = [:]
    /// Keys whose values `--print-config` redacts.
    private(set) var secrets: Set<String> = []

    init(environment: [String: String] = ProcessInfo.processInfo.environment, file: ConfigFile? = nil) {
        self.environment = environment
        self.file = file
    }

    /// The file key of an environment variable: `TERN_MAX_BATCH_TOKENS` is `max-batch-tokens`.
    static func key(forVariable variable: String) -> String {
        String(variable.dropFirst("TERN_".count)).lowercased().replacingOccurrences(of: "_", with: "-")
    }

    /// The command-line value, else the variable's, else the file's, else nil.
    /// - Throws: `ValidationError` naming the variable or the file and key when a value does not parse.
    func resolve<T: ExpressibleByArgument>(_ commandLine: T?, _ variable: String) throws -> T? {
        let key = Self.key(forVariable: variable)
        if let commandLine {
            record(key, .scalar(commandLine.defaultValueDescription), .commandLine, plain: Self.isPlain(T.self))
            return commandLine
        }
        if let raw = environment[variable], !raw.isEmpty {
            guard let value = T(argument: raw) else {
                throw ValidationError("environment variable \(variable)='\(raw)' is not a valid value")
            }
            record(key, .scalar(value.defaultValueDescription), .environment, plain: Self.isPlain(T.self))
            return value
        }
        if let file, let raw = try file.scalar(key) {
            guard let value = T(argument: raw) else { throw file.invalid(key, raw) }
            record(key, .scalar(value.defaultValueDescription), .file, plain: Self.isPlain(T.self))
            return value
        }
        record(key, nil, .defaults)
        return nil
    }

    /// As `resolve(_:_:)`, falling back to `defaultValue`, which `--print-config` then shows.
    func resolve<T: ExpressibleByArgument>(_ commandLine: T?, _ variable: String, default defaultValue: T) throws -> T {
        if let value = try resolve(commandLine, variable) { return value }
        record(
            Self.key(forVariable: variable), .scalar(defaultValue.defaultValueDescription), .defaults,
            plain: Self.isPlain(T.self))
        return defaultValue
    }

    /// A flag's command-line value, else the variable's or the file's as a boolean (1/0, true/false,
    /// yes/no, on/off), else nil.
    func resolveFlag(_ commandLine: Bool?, _ variable: String) throws -> Bool? {
        let key = Self.key(forVariable: variable)
        if let commandLine {
            record(key, .scalar(String(commandLine)), .commandLine, plain: true)
            return commandLine
        }
        if let raw = environment[variable], !raw.isEmpty {
            guard let value = Self.boolean(raw) else {
                throw ValidationError("environment variable \(variable)='\(raw)' is not a boolean")
            }
            record(key, .scalar(String(value)), .environment, plain: true)
            return value
        }
        if let file, let raw = try file.scalar(key) {
            guard let value = Self.boolean(raw) else { throw file.invalid(key, raw, expected: "a boolean") }
            record(key, .scalar(String(value)), .file, plain: true)
            return value
        }
        record(key, nil, .defaults)
        return nil
    }

    /// As `resolveFlag(_:_:)`, falling back to `defaultValue`.
    func resolveFlag(_ commandLine: Bool?, _ variable: String, default defaultValue: Bool) throws -> Bool {
        if let value = try resolveFlag(commandLine, variable) { return value }
        record(Self.key(forVariable: variable), .scalar(String(defaultValue)), .defaults, plain: true)
        return defaultValue
    }

    /// A repeatable option: the command line's values if any, else the variable's (comma-separated), else
    /// the file's list, else empty.
    /// - Parameter secret: `--print-config` redacts the values (API keys).
    func resolveList(_ commandLine: [String], _ variable: String, secret: Bool = false) throws -> [String] {
        let key = Self.key(forVariable: variable)
        if secret { secrets.insert(key) }
        if !commandLine.isEmpty {
            record(key, .list(commandLine), .commandLine)
            return commandLine
        }
        if let raw = environment[variable], !raw.isEmpty {
            let values = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            record(key, .list(values), .environment)
            return values
        }
        if let values = file?.values[key]?.values {
            record(key, .list(values), .file)
            return values
        }
        record(key, .list([]), .defaults)
        return []
    }

    /// Whether the setting of `variable`, already resolved, came from the command line, the environment or the
    /// file rather than a default.
    func isGiven(_ variable: String) -> Bool {
        resolved[Self.key(forVariable: variable)].map { $0.origin != .defaults } ?? false
    }

    private func record(_ key: String, _ value: SettingValue?, _ origin: Origin, plain: Bool = false) {
        resolved[key] = Resolved(value: value, origin: origin, isPlain: plain)
    }

    /// Numbers and booleans print plain in `--print-config`; strings and enumerations are quoted.
    private static func isPlain<T>(_ type: T.Type) -> Bool {
        type is any BinaryInteger.Type || type is any BinaryFloatingPoint.Type || type == Bool.self
            || type == LayoutCount.self
    }

    /// A boolean as the environment and config files spell it: 1/0, true/false, yes/no, on/off.
    static func boolean(_ raw: String) -> Bool? {
        switch raw.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: nil
        }
    }
}

extension SettingSources {
    /// The sources of one `tern serve` run: the process environment, and the `--config` (or `TERN_CONFIG`)
    /// file when one is named.
    static func load(_ options: ServeCommand, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> SettingSources
    {
        let path = options.config ?? environment["TERN_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let file = try path.map { try ConfigFile(path: $0, keys: ServeCommand.fileKeys) }
        return SettingSources(environment: environment, file: file)
    }
}

/// The earlier name of `SettingSources`, from before the config file: branches written against it
/// (`EnvironmentValue()`, `env.resolve(...)`, `env.environment[...]`) keep compiling after they merge.
typealias EnvironmentValue = SettingSources

extension SettingSources {
    /// Sources with this environment and no config file.
    convenience init(_ environment: [String: String]) {
        self.init(environment: environment, file: nil)
    }
}

/// One option's raw value as a configuration file or the environment gives it: one value, or a list for
/// the repeatable options (`model`, `api-key`).
enum SettingValue: Equatable {
    case scalar(String)
    case list([String])

    /// The values of a repeatable option: a list, or one value as a list of one.
    var values: [String] {
        switch self {
        case .scalar(let value): [value]
        case .list(let values): values
        }
    }
}
