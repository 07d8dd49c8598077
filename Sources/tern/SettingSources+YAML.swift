extension SettingSources {
    /// The effective configuration as YAML, a valid `--config` file: every key in `keys`' order, each with
    /// a comment saying where its value came from. Secrets are replaced by `<redacted>`; a key whose
    /// default the model decides is `null`.
    func yaml(keys: [String]) -> String {
        var text = "# tern serve: effective configuration (command line > environment > config file > default)\n"
        for key in keys {
            guard let setting = resolved[key] else {
                text += "\(key): null  # not resolved\n"
                continue
            }
            let rendered: String
            switch setting.value {
            case nil: rendered = "null"
            case .scalar(let value) where setting.isPlain: rendered = value
            case .scalar(let value): rendered = Self.yamlScalar(secrets.contains(key) ? "<redacted>" : value)
            case .list(let values):
                let items = values.map { Self.yamlScalar(secrets.contains(key) ? "<redacted>" : $0) }
                rendered = "[" + items.joined(separator: ", ") + "]"
            }
            let origin = setting.value == nil ? "default (none, or decided at startup)" : setting.origin.rawValue
            text += "\(key): \(rendered)  # \(origin)\n"
        }
        return text
    }

    /// A string double-quoted (JSON's escapes are YAML's), so YAML readers never take it for a number,
    /// a boolean or null.
    static func yamlScalar(_ value: String) -> String {
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            default:
                if scalar.value < 0x20 {
                    quoted += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
