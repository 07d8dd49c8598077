extension TokenizerLoader {
    /// The `pre_tokenizer`, or nil when it is absent or null.
    static func preTokenizer(_ json: JSONValue?, component: String) throws(TokenizerError) -> (any PreTokenizer)? {
        guard let json, !json.isNull else { return nil }
        let fields = try ComponentFields(json, component: component)
        let type = try fields.type()
        switch type {
        case "BertPreTokenizer":
            return BertPreTokenizer()
        case "ByteLevel":
            return ByteLevelPreTokenizer(
                addPrefixSpace: try fields.bool("add_prefix_space", default: true),
                useRegex: try fields.bool("use_regex", default: true)
            )
        case "Metaspace":
            return try metaspace(fields)
        case "Split":
            return try split(fields)
        case "Whitespace":
            return WhitespacePreTokenizer()
        case "WhitespaceSplit":
            return CharacterSplitPreTokenizer(delimiter: .whitespace, behavior: .removed)
        case "Punctuation":
            let behavior = try behavior(fields, default: .isolated)
            return CharacterSplitPreTokenizer(delimiter: .punctuation, behavior: behavior)
        case "Digits":
            let individual = try fields.bool("individual_digits", default: false)
            return CharacterSplitPreTokenizer(delimiter: .numeric, behavior: individual ? .isolated : .contiguous)
        case "CharDelimiterSplit":
            let delimiter = try fields.string("delimiter").unicodeScalars
            guard delimiter.count == 1, let scalar = delimiter.first else {
                throw fields.invalid("field 'delimiter' must be a single character")
            }
            return CharacterSplitPreTokenizer(delimiter: .scalar(scalar.value), behavior: .removed)
        case "UnicodeScripts":
            return UnicodeScriptsPreTokenizer()
        case "Sequence":
            var preTokenizers: [any PreTokenizer] = []
            for (index, element) in try fields.array("pretokenizers").enumerated() {
                if let preTokenizer = try preTokenizer(element, component: "\(component).pretokenizers[\(index)]") {
                    preTokenizers.append(preTokenizer)
                }
            }
            return PreTokenizerSequence(preTokenizers: preTokenizers)
        default:
            throw .unsupported(component, type: type)
        }
    }

    /// A `Split` pre-tokenizer: `pattern` is `{"Regex": ...}` or `{"String": ...}`.
    private static func split(_ fields: ComponentFields) throws(TokenizerError) -> SplitPreTokenizer {
        let compiled = try pattern(fields)
        let behavior = try behavior(fields, default: nil)
        let invert = try fields.bool("invert", default: false)
        return SplitPreTokenizer(pattern: compiled, behavior: behavior, invert: invert)
    }

    /// A `behavior` field (`Removed`, `Isolated`, `MergedWithPrevious`, `MergedWithNext`, `Contiguous`).
    private static func behavior(
        _ fields: ComponentFields,
        default fallback: SplitPreTokenizer.Behavior?
    ) throws(TokenizerError) -> SplitPreTokenizer.Behavior {
        if let fallback, !fields.has("behavior") { return fallback }
        let name = try fields.string("behavior")
        guard let behavior = SplitPreTokenizer.Behavior(rawValue: name) else {
            throw fields.invalid("unknown split behavior '\(name)'")
        }
        return behavior
    }

    /// A `pattern` field of `{"Regex": ...}` or `{"String": ...}`, as Split and Replace use.
    static func pattern(_ fields: ComponentFields) throws(TokenizerError) -> SplitPreTokenizer.Pattern {
        let pattern = try fields.object("pattern")
        if let regex = pattern["Regex"]?.stringValue {
            do {
                return .regex(try RegexProgram(regex))
            } catch {
                throw fields.invalid("unsupported regex \(String(reflecting: regex)): \(error.message)")
            }
        }
        if let string = pattern["String"]?.stringValue { return .literal(string.unicodeScalars.map(\.value)) }
        throw fields.invalid("field 'pattern' must be {\"Regex\": ...} or {\"String\": ...}")
    }

    /// A `Metaspace` pre-tokenizer; files older than `prepend_scheme` say `add_prefix_space` instead.
    private static func metaspace(_ fields: ComponentFields) throws(TokenizerError) -> MetaspacePreTokenizer {
        let replacement = try fields.string("replacement", default: "\u{2581}").unicodeScalars
        guard replacement.count == 1, let scalar = replacement.first else {
            throw fields.invalid("field 'replacement' must be a single character")
        }
        let scheme: MetaspacePreTokenizer.PrependScheme
        if fields.has("prepend_scheme") {
            let name = try fields.string("prepend_scheme")
            guard let parsed = MetaspacePreTokenizer.PrependScheme(rawValue: name) else {
                throw fields.invalid("unknown prepend_scheme '\(name)'")
            }
            scheme = parsed
        } else {
            scheme = try fields.bool("add_prefix_space", default: true) ? .always : .never
        }
        return MetaspacePreTokenizer(
            replacement: scalar.value, prependScheme: scheme, split: try fields.bool("split", default: true))
    }
}
