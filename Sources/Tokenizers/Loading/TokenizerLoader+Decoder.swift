extension TokenizerLoader {
    /// The `decoder`: nil when absent or null; an error naming an unsupported type is kept rather than thrown,
    /// so that such a file still loads for encoding and only decoding fails.
    static func decoder(_ json: JSONValue?, component: String) -> Result<(any TokenDecoder)?, TokenizerError> {
        Result { () throws(TokenizerError) in try decoderOrThrow(json, component: component) }
    }

    private static func decoderOrThrow(
        _ json: JSONValue?,
        component: String
    ) throws(TokenizerError) -> (any TokenDecoder)? {
        guard let json, !json.isNull else { return nil }
        let fields = try ComponentFields(json, component: component)
        let type = try fields.type()
        switch type {
        case "ByteLevel":
            return ByteLevelDecoder()
        case "WordPiece":
            return WordPieceDecoder(
                prefix: try fields.string("prefix", default: "##"), cleanup: try fields.bool("cleanup", default: true))
        case "ByteFallback":
            return ByteFallbackDecoder()
        case "Fuse":
            return FuseDecoder()
        case "Strip":
            return StripDecoder(
                content: try scalar(fields, "content"), start: try fields.int("start"), stop: try fields.int("stop"))
        case "Replace":
            guard let pattern = fields.value("pattern")?["String"]?.stringValue else {
                throw fields.invalid("only string patterns are supported in a Replace decoder")
            }
            return ReplaceDecoder(pattern: pattern, content: try fields.string("content"))
        case "Metaspace":
            let scheme = try fields.string("prepend_scheme", default: "always")
            let legacyPrefix = try fields.optionalBool("add_prefix_space")
            return MetaspaceDecoder(
                replacement: try scalar(fields, "replacement"),
                prependsSpace: fields.has("prepend_scheme") ? scheme != "never" : legacyPrefix ?? true
            )
        case "BPEDecoder":
            return BPEDecoder(suffix: try fields.string("suffix", default: "</w>"))
        case "CTC":
            return CTCDecoder(
                padToken: try fields.string("pad_token", default: "<pad>"),
                wordDelimiterToken: try fields.string("word_delimiter_token", default: "|"),
                cleanup: try fields.bool("cleanup", default: true)
            )
        case "Sequence":
            var decoders: [any TokenDecoder] = []
            for (index, element) in try fields.array("decoders").enumerated() {
                if let decoder = try decoderOrThrow(element, component: "\(component).decoders[\(index)]") {
                    decoders.append(decoder)
                }
            }
            return DecoderSequence(decoders: decoders)
        default:
            throw .unsupported(component, type: type)
        }
    }

    /// A field holding exactly one character.
    private static func scalar(_ fields: ComponentFields, _ key: String) throws(TokenizerError) -> Unicode.Scalar {
        let text = try fields.string(key)
        guard text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first else {
            throw fields.invalid("field '\(key)' must be a single character")
        }
        return scalar
    }
}
