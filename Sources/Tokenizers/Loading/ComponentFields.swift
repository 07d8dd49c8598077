/// Typed access to the fields of one tokenizer.json component, with errors that name the component and field.
struct ComponentFields {
    /// The component's place in the file, e.g. `normalizer` or `post_processor`.
    let component: String
    private let members: JSONObject

    init(_ json: JSONValue, component: String) throws(TokenizerError) {
        guard let members = json.objectValue else {
            throw .invalid(component, "expected an object, found \(json.kindName)")
        }
        self.component = component
        self.members = members
    }

    /// The component's `type` field.
    func type() throws(TokenizerError) -> String {
        guard let value = members["type"] else { throw .invalid(component, "missing field 'type'") }
        guard let type = value.stringValue else {
            throw .invalid(component, "field 'type' must be a string, found \(value.kindName)")
        }
        return type
    }

    /// Whether the field is present and not null.
    func has(_ key: String) -> Bool { !(members[key]?.isNull ?? true) }

    /// A field's raw value, or nil when absent or null.
    func value(_ key: String) -> JSONValue? {
        guard let value = members[key], !value.isNull else { return nil }
        return value
    }

    func bool(_ key: String, default fallback: Bool) throws(TokenizerError) -> Bool {
        try optionalBool(key) ?? fallback
    }

    func optionalBool(_ key: String) throws(TokenizerError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.boolValue else { throw mismatch(key, "a boolean", value) }
        return bool
    }

    func string(_ key: String, default fallback: String? = nil) throws(TokenizerError) -> String {
        guard let value = value(key) else {
            if let fallback { return fallback }
            throw .invalid(component, "missing field '\(key)'")
        }
        guard let string = value.stringValue else { throw mismatch(key, "a string", value) }
        return string
    }

    func int(_ key: String, default fallback: Int? = nil) throws(TokenizerError) -> Int {
        guard let value = value(key) else {
            if let fallback { return fallback }
            throw .invalid(component, "missing field '\(key)'")
        }
        guard let int = value.intValue else { throw mismatch(key, "an integer", value) }
        return int
    }

    func array(_ key: String) throws(TokenizerError) -> [JSONValue] {
        guard let value = value(key) else { throw .invalid(component, "missing field '\(key)'") }
        guard let array = value.arrayValue else { throw mismatch(key, "an array", value) }
        return array
    }

    func object(_ key: String) throws(TokenizerError) -> JSONObject {
        guard let value = value(key) else { throw .invalid(component, "missing field '\(key)'") }
        guard let object = value.objectValue else { throw mismatch(key, "an object", value) }
        return object
    }

    /// An error for a field whose content is wrong in a way the caller describes.
    func invalid(_ reason: String) -> TokenizerError {
        .invalid(component, reason)
    }

    private func mismatch(_ key: String, _ expected: String, _ found: JSONValue) -> TokenizerError {
        .invalid(component, "field '\(key)' must be \(expected), found \(found.kindName)")
    }
}
