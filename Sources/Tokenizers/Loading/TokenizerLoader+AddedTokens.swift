extension TokenizerLoader {
    /// The `added_tokens` array (absent or null means none).
    static func addedTokens(_ json: JSONValue?) throws(TokenizerError) -> [AddedToken] {
        guard let json, !json.isNull else { return [] }
        guard let elements = json.arrayValue else {
            throw .invalid("added_tokens", "expected an array, found \(json.kindName)")
        }
        var tokens: [AddedToken] = []
        for (index, element) in elements.enumerated() {
            let fields = try ComponentFields(element, component: "added_tokens[\(index)]")
            guard let id = Int32(exactly: try fields.int("id")), id >= 0 else {
                throw fields.invalid("field 'id' must be a non-negative 32-bit integer")
            }
            let special = try fields.bool("special", default: false)
            tokens.append(
                AddedToken(
                    id: id,
                    content: try fields.string("content"),
                    singleWord: try fields.bool("single_word", default: false),
                    lstrip: try fields.bool("lstrip", default: false),
                    rstrip: try fields.bool("rstrip", default: false),
                    normalized: try fields.bool("normalized", default: !special),
                    special: special
                )
            )
        }
        return tokens
    }
}
