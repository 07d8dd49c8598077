extension TokenizerLoader {
    /// The `normalizer`, or nil when it is absent or null.
    static func normalizer(_ json: JSONValue?, component: String) throws(TokenizerError) -> (any Normalizer)? {
        guard let json, !json.isNull else { return nil }
        let fields = try ComponentFields(json, component: component)
        let type = try fields.type()
        switch type {
        case "BertNormalizer":
            return BertNormalizer(
                BertNormalizer.Options(
                    cleanText: try fields.bool("clean_text", default: true),
                    handleChineseChars: try fields.bool("handle_chinese_chars", default: true),
                    stripAccents: try fields.optionalBool("strip_accents"),
                    lowercase: try fields.bool("lowercase", default: true)
                )
            )
        case "Precompiled":
            guard let blob = fields.value("precompiled_charsmap")?.stringValue, !blob.isEmpty else {
                return NormalizerSequence(normalizers: [])
            }
            guard let charsmap = PrecompiledCharsmap(base64: blob) else {
                throw fields.invalid("field 'precompiled_charsmap' is not a valid SentencePiece charsmap")
            }
            return PrecompiledNormalizer(charsmap: charsmap)
        case "Replace":
            return ReplaceNormalizer(
                pattern: try pattern(fields),
                content: try fields.string("content").unicodeScalars.map(\.value)
            )
        case "Strip":
            return StripNormalizer(
                left: try fields.bool("strip_left", default: true),
                right: try fields.bool("strip_right", default: true)
            )
        case "NFD", "NFKD", "NFC", "NFKC":
            return UnicodeNormalizer(form: UnicodeNormalizer.Form(rawValue: type) ?? .nfd)
        case "Lowercase":
            return LowercaseNormalizer()
        case "StripAccents":
            return StripAccentsNormalizer()
        case "Prepend":
            return PrependNormalizer(prefix: try fields.string("prepend").unicodeScalars.map(\.value))
        case "Sequence":
            var normalizers: [any Normalizer] = []
            for (index, element) in try fields.array("normalizers").enumerated() {
                if let normalizer = try normalizer(element, component: "\(component).normalizers[\(index)]") {
                    normalizers.append(normalizer)
                }
            }
            return NormalizerSequence(normalizers: normalizers)
        default:
            throw .unsupported(component, type: type)
        }
    }
}
