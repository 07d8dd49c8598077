extension TokenizerLoader {
    /// The `post_processor`, or nil when it is absent or null.
    /// - Parameters:
    ///   - idCount: One more than the largest token id.
    ///   - tokenText: The string of an id, for offset trimming.
    static func postProcessor(
        _ json: JSONValue?,
        idCount: Int,
        tokenText: (Int32) -> String?
    ) throws(TokenizerError) -> (any PostProcessor)? {
        guard let json, !json.isNull else { return nil }
        let fields = try ComponentFields(json, component: "post_processor")
        let type = try fields.type()
        switch type {
        case "TemplateProcessing":
            let specialTokens = try templateSpecialTokens(fields)
            return TemplateProcessing(
                single: try template(fields, "single", specialTokens),
                pair: try template(fields, "pair", specialTokens)
            )
        case "BertProcessing":
            return BertProcessing(
                classificationId: try tokenAndId(fields, "cls"),
                separatorId: try tokenAndId(fields, "sep")
            )
        case "ByteLevel":
            return ByteLevelProcessing(trimming: try trimming(fields, idCount: idCount, tokenText: tokenText))
        case "RobertaProcessing":
            return RobertaProcessing(
                classificationId: try tokenAndId(fields, "cls"),
                separatorId: try tokenAndId(fields, "sep"),
                trimming: try trimming(fields, idCount: idCount, tokenText: tokenText)
            )
        case "Sequence":
            return try sequence(fields, idCount: idCount, tokenText: tokenText)
        default:
            throw .unsupported("post_processor", type: type)
        }
    }

    /// A `Sequence` of ByteLevel processors followed by any one processor.
    private static func sequence(
        _ fields: ComponentFields,
        idCount: Int,
        tokenText: (Int32) -> String?
    ) throws(TokenizerError) -> any PostProcessor {
        let elements = try fields.array("processors")
        guard let lastElement = elements.last else { return SequenceConcatenation() }
        var trimmings: [OffsetTrimming] = []
        for (index, element) in elements.dropLast().enumerated() {
            let component = "post_processor.processors[\(index)]"
            let inner = try ComponentFields(element, component: component)
            let type = try inner.type()
            guard type == "ByteLevel" else {
                throw fields.invalid("only ByteLevel may come before the last processor of a Sequence, found \(type)")
            }
            if let trimming = try trimming(inner, idCount: idCount, tokenText: tokenText) { trimmings.append(trimming) }
        }
        guard let last = try postProcessor(lastElement, idCount: idCount, tokenText: tokenText) else {
            return SequenceConcatenation()
        }
        return trimmings.isEmpty ? last : PostProcessorSequence(trimmings: trimmings, last: last)
    }

    /// The offset trimming of a ByteLevel or RoBERTa post-processor, or nil when `trim_offsets` is false.
    private static func trimming(
        _ fields: ComponentFields,
        idCount: Int,
        tokenText: (Int32) -> String?
    ) throws(TokenizerError) -> OffsetTrimming? {
        guard try fields.bool("trim_offsets", default: true) else { return nil }
        let addPrefixSpace = try fields.bool("add_prefix_space", default: true)
        return OffsetTrimming(idCount: idCount, addPrefixSpace: addPrefixSpace, tokenText: tokenText)
    }

    /// A `["[SEP]", 102]` field: the id given in the file.
    private static func tokenAndId(_ fields: ComponentFields, _ key: String) throws(TokenizerError) -> Int32 {
        let pair = try fields.array(key)
        guard pair.count == 2, pair[0].stringValue != nil, let id = pair[1].intValue, let id32 = Int32(exactly: id)
        else {
            throw fields.invalid("field '\(key)' must be a [token, id] pair")
        }
        return id32
    }

    /// TemplateProcessing's `special_tokens`: name to ids.
    private static func templateSpecialTokens(_ fields: ComponentFields) throws(TokenizerError) -> [String: [Int32]] {
        var result: [String: [Int32]] = [:]
        for (name, value) in try fields.object("special_tokens") {
            guard let ids = value["ids"]?.arrayValue else {
                throw fields.invalid("special token '\(name)' needs an 'ids' array")
            }
            var converted: [Int32] = []
            for id in ids {
                guard let id = id.intValue, let id32 = Int32(exactly: id) else {
                    throw fields.invalid("special token '\(name)' has a non-integer id")
                }
                converted.append(id32)
            }
            result[name] = converted
        }
        return result
    }

    /// A template: an array of `{"SpecialToken": {"id", "type_id"}}` and `{"Sequence": {"id": "A"|"B", "type_id"}}`.
    private static func template(
        _ fields: ComponentFields,
        _ key: String,
        _ specialTokens: [String: [Int32]]
    ) throws(TokenizerError) -> [TemplateProcessing.Piece] {
        var pieces: [TemplateProcessing.Piece] = []
        for element in try fields.array(key) {
            guard let members = element.objectValue, members.count == 1, let (kind, body) = members.first,
                let id = body["id"]?.stringValue, let typeId = body["type_id"]?.intValue,
                let typeId32 = Int32(exactly: typeId)
            else {
                throw fields.invalid("'\(key)' template pieces must be {\"SpecialToken\"|\"Sequence\": {id, type_id}}")
            }
            switch (kind, id) {
            case ("Sequence", "A"), ("Sequence", "B"):
                pieces.append(.sequence(isFirst: id == "A", typeId: typeId32))
            case ("SpecialToken", _):
                guard let ids = specialTokens[id] else {
                    throw fields.invalid("'\(key)' template uses special token '\(id)' missing from special_tokens")
                }
                pieces.append(.specialToken(ids: ids, typeId: typeId32))
            default:
                throw fields.invalid("'\(key)' template has an unknown piece \(kind) '\(id)'")
            }
        }
        return pieces
    }
}
