import ArgumentParser
import Foundation
import TernServer

extension ServeSettings {
    /// API keys from `--api-key` (or `TERN_API_KEY`, or the file's `api-key`) plus the lines of
    /// `--api-key-file`, and which open routes they also guard.
    static func auth(_ options: ServeCommand, _ env: SettingSources) throws -> AuthConfiguration {
        var keys = try env.resolveList(options.apiKey, "TERN_API_KEY", secret: true)
        if let path = try env.resolve(options.apiKeyFile, "TERN_API_KEY_FILE") {
            keys += try apiKeys(fromFile: path)
        }
        for key in keys {
            guard !key.isEmpty, !key.contains(where: { $0.isWhitespace || !$0.isASCII }) else {
                throw ValidationError("an API key must be printable ASCII without spaces")
            }
        }
        return AuthConfiguration(
            apiKeys: keys,
            protectHealth: try env.resolveFlag(options.authHealth, "TERN_AUTH_HEALTH", default: false),
            protectMetrics: try env.resolveFlag(options.authMetrics, "TERN_AUTH_METRICS", default: false)
        )
    }

    /// One key per line; blank lines and lines starting with `#` are skipped. The error never quotes a key.
    static func apiKeys(fromFile path: String) throws -> [String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read the API key file \(path): \(error.localizedDescription)")
        }
        let keys = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !keys.isEmpty else { throw ValidationError("the API key file \(path) holds no key") }
        return keys
    }
}
