import ArgumentParser
import Foundation
import Yams

/// A `--config` YAML file: a mapping from `tern serve`'s long option names (without `--`) to values, a
/// list for repeatable options (`model: [a, b]`), `true`/`false` for flags, `null` for the default.
struct ConfigFile {
    /// The file's path, named in every error about it.
    let path: String
    /// The values by key; keys set to `null` are absent.
    let values: [String: SettingValue]

    /// Reads and checks the file.
    /// - Parameter keys: the keys a file may hold (`ServeCommand.fileKeys`).
    /// - Throws: `ValidationError` naming the file (and the key) when it cannot be read, is not YAML,
    ///   is not a mapping, or holds an unknown key or a value of the wrong shape.
    init(path: String, keys: [String]) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read the config file \(path): \(error.localizedDescription)")
        }
        try self.init(path: path, text: text, keys: keys)
    }

    /// Checks `text` as the contents of the file at `path`.
    init(path: String, text: String, keys: [String]) throws {
        self.path = path
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ValidationError("the config file \(path) is not valid YAML: \(error)")
        }
        guard let root, root.null == nil else {
            values = [:]
            return
        }
        guard let mapping = root.mapping else {
            throw ValidationError("the config file \(path) must be a mapping of option names to values")
        }
        let known = Set(keys)
        var values: [String: SettingValue] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw ValidationError("the config file \(path) has a key that is not a name")
            }
            guard known.contains(key) else {
                throw ValidationError(
                    "unknown key '\(key)' in the config file \(path); keys are tern serve's long option names"
                        + Self.suggestion(for: key, among: keys))
            }
            if valueNode.null != nil { continue }
            switch valueNode {
            case .scalar(let scalar):
                values[key] = .scalar(scalar.string)
            case .sequence(let sequence):
                var items: [String] = []
                for item in sequence {
                    guard let value = item.scalar?.string else {
                        throw ValidationError(
                            "key '\(key)' in the config file \(path): list items must be plain values")
                    }
                    items.append(value)
                }
                values[key] = .list(items)
            default:
                throw ValidationError("key '\(key)' in the config file \(path) must be a value or a list of values")
            }
        }
        self.values = values
    }

    /// The one value under `key`, nil when absent.
    /// - Throws: when the key holds a list but the option takes one value.
    func scalar(_ key: String) throws -> String? {
        switch values[key] {
        case nil: return nil
        case .scalar(let value): return value
        case .list: throw ValidationError("key '\(key)' in the config file \(path) takes one value, not a list")
        }
    }

    /// The error for a value that does not parse.
    func invalid(_ key: String, _ raw: String, expected: String? = nil) -> ValidationError {
        let detail = expected.map { "; expected \($0)" } ?? ""
        return ValidationError("key '\(key)' in the config file \(path): '\(raw)' is not a valid value\(detail)")
    }

    /// ", did you mean 'x'?" when a known key differs only in separators or case.
    private static func suggestion(for key: String, among keys: [String]) -> String {
        let folded = key.lowercased().replacingOccurrences(of: "_", with: "-").trimmingCharacters(in: ["-"])
        guard let match = keys.first(where: { $0 == folded }) else { return "" }
        return "; did you mean '\(match)'?"
    }
}
