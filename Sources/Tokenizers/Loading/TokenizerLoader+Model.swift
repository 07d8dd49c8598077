extension TokenizerLoader {
    /// The `model`.
    static func model(_ json: JSONValue) throws(TokenizerError) -> any TokenizationModel {
        let fields = try ComponentFields(json, component: "model")
        let type = fields.has("type") ? try fields.type() : inferredModelType(fields)
        switch type {
        case "WordPiece":
            return try WordPieceModel(
                vocabulary: try vocabulary(fields),
                unknownToken: try fields.string("unk_token", default: "[UNK]"),
                continuingSubwordPrefix: try fields.string("continuing_subword_prefix", default: "##"),
                maxInputCharsPerWord: try fields.int("max_input_chars_per_word", default: 100)
            )
        default:
            throw .unsupported("model", type: type)
        }
    }

    /// Old files omit the model's `type`; `tokenizers` then recognizes it by its fields.
    private static func inferredModelType(_ fields: ComponentFields) -> String {
        if fields.has("merges") { return "BPE" }
        if fields.value("vocab")?.arrayValue != nil { return "Unigram" }
        if fields.has("continuing_subword_prefix") || fields.has("max_input_chars_per_word") { return "WordPiece" }
        return "WordLevel"
    }

    /// A `vocab` object of token to id.
    private static func vocabulary(_ fields: ComponentFields) throws(TokenizerError) -> Vocabulary {
        var entries: [(token: String, id: Int32)] = []
        let vocab = try fields.object("vocab")
        entries.reserveCapacity(vocab.count)
        for (token, value) in vocab {
            guard let id = value.intValue, let id32 = Int32(exactly: id), id32 >= 0 else {
                throw fields.invalid("vocab entry '\(token)' must map to a non-negative integer id")
            }
            entries.append((token, id32))
        }
        return Vocabulary(entries)
    }
}
