import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line to standard error: `timestamp` (UTC,
/// ISO 8601 with milliseconds), `level`, `label`, `message`, then the metadata flattened (nested
/// dictionaries as `outer.inner` keys). For log pipelines that parse JSON (`--log-format json`).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: @Sendable (String) -> Void

    /// Fixed fields; metadata with one of these names is written as `metadata.<name>`.
    static let reservedKeys: Set<String> = ["timestamp", "level", "label", "message"]

    /// - Parameters:
    ///   - label: the logger's label.
    ///   - sink: receives each finished line (newline included); standard error by default.
    public init(label: String, sink: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        sink(
            Self.line(
                timestamp: Date(), level: event.level, label: label, message: "\(event.message)", metadata: merged))
    }

    /// One log line, ending in a newline; keys after the fixed four are sorted so lines diff well.
    static func line(timestamp: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata)
        -> String
    {
        var out = "{\"timestamp\":\"\(timestamp.formatted(timestampStyle))\",\"level\":\"\(level.rawValue)\",\"label\":"
        appendQuoted(label, to: &out)
        out += ",\"message\":"
        appendQuoted(message, to: &out)
        var flat: [(String, Logger.Metadata.Value)] = []
        flatten(metadata, prefix: "", into: &flat)
        for (key, value) in flat.sorted(by: { $0.0 < $1.0 }) {
            out += ","
            appendQuoted(reservedKeys.contains(key) ? "metadata.\(key)" : key, to: &out)
            out += ":"
            append(value, to: &out)
        }
        out += "}\n"
        return out
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    private static func flatten(
        _ metadata: Logger.Metadata,
        prefix: String,
        into flat: inout [(String, Logger.Metadata.Value)]
    ) {
        for (key, value) in metadata {
            if case .dictionary(let nested) = value {
                flatten(nested, prefix: "\(prefix)\(key).", into: &flat)
            } else {
                flat.append(("\(prefix)\(key)", value))
            }
        }
    }

    /// Strings stay strings; numbers and booleans given as such are written as JSON numbers/booleans.
    private static func append(_ value: Logger.Metadata.Value, to out: inout String) {
        switch value {
        case .string(let string):
            appendQuoted(string, to: &out)
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as any BinaryInteger: out += "\(number)"
            case let number as Double where number.isFinite: out += "\(number)"
            case let flag as Bool: out += flag ? "true" : "false"
            default: appendQuoted(convertible.description, to: &out)
            }
        case .array(let values):
            out += "["
            for (index, element) in values.enumerated() {
                if index > 0 { out += "," }
                append(element, to: &out)
            }
            out += "]"
        case .dictionary(let nested):
            var flat: [(String, Logger.Metadata.Value)] = []
            flatten(nested, prefix: "", into: &flat)
            out += "{"
            for (index, (key, element)) in flat.sorted(by: { $0.0 < $1.0 }).enumerated() {
                if index > 0 { out += "," }
                appendQuoted(key, to: &out)
                out += ":"
                append(element, to: &out)
            }
            out += "}"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func appendQuoted(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Writes a line to standard error in one `write`, so lines from several threads never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(2, base + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
