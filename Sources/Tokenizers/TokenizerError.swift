/// A tokenizer definition that cannot be loaded; the message names the file, field or component at fault.
public struct TokenizerError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable {
        case fileUnreadable
        case malformedJSON
        case unsupportedComponent
        case invalidComponent
    }

    private let code: Code

    /// A human-readable explanation that names the problem.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A description identical to ``message``.
    public var description: String { message }

    /// The file could not be read.
    static func fileUnreadable(_ path: String, _ reason: String) -> Self {
        .init(.fileUnreadable, "cannot read tokenizer file '\(path)': \(reason)")
    }

    /// The bytes are not a JSON document of the expected shape.
    static func malformedJSON(_ reason: String) -> Self {
        .init(.malformedJSON, "malformed tokenizer JSON: \(reason)")
    }

    /// A component `type` this module does not implement, e.g. `pre_tokenizer` `ByteLevel`.
    static func unsupported(_ component: String, type: String) -> Self {
        .init(.unsupportedComponent, "unsupported \(component) type '\(type)'")
    }

    /// A supported component whose settings are missing or inconsistent.
    static func invalid(_ component: String, _ reason: String) -> Self {
        .init(.invalidComponent, "invalid \(component): \(reason)")
    }
}
