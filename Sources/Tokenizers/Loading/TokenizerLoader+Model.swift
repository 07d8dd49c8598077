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
        case "Unigram":
            return try unigram(fields)
        case "WordLevel":
            return try WordLevelModel(
                vocabulary: try vocabulary(fields), unknownToken: try fields.string("unk_token", default: "<unk>"))
        case "BPE":
            return try BPEModel(
                vocabulary: try vocabulary(fields),
                merges: try merges(fields),
                options: BPEModel.Options(
                    unknownToken: fields.has("unk_token") ? try fields.string("unk_token") : nil,
                    fuseUnknown: try fields.bool("fuse_unk", default: false),
                    byteFallback: try fields.bool("byte_fallback", default: false),
                    continuingSubwordPrefix: fields.has("continuing_subword_prefix")
                        ? try fields.string("continuing_subword_prefix") : nil,
                    endOfWordSuffix: fields.has("end_of_word_suffix") ? try fields.string("end_of_word_suffix") : nil,
                    ignoreMerges: try fields.bool("ignore_merges", default: false)
                )
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

    /// BPE `merges`: `"a b"` strings (split at the first space) or `["a", "b"]` pairs, in rank order.
    private static func merges(_ fields: ComponentFields) throws(TokenizerError) -> [(String, String)] {
        var merges: [(String, String)] = []
        let elements = try fields.array("merges")
        merges.reserveCapacity(elements.count)
        for element in elements {
            if let string = element.stringValue, let space = string.utf8.firstIndex(of: UInt8(ascii: " ")) {
                let right = string.utf8[string.utf8.index(after: space)...]
                merges.append((String(string.utf8[..<space])!, String(right)!))
            } else if let pair = element.arrayValue, pair.count == 2, let left = pair[0].stringValue,
                let right = pair[1].stringValue
            {
                merges.append((left, right))
            } else {
                throw fields.invalid("BPE merges must be \"a b\" strings or [a, b] pairs, found \(element.kindName)")
            }
        }
        return merges
    }

    /// A `Unigram` model: `vocab` is an array of `[piece, score]` in id order.
    private static func unigram(_ fields: ComponentFields) throws(TokenizerError) -> UnigramModel {
        var pieces: [(token: String, score: Double)] = []
        let elements = try fields.array("vocab")
        pieces.reserveCapacity(elements.count)
        for element in elements {
            guard let pair = element.arrayValue, pair.count == 2, let token = pair[0].stringValue,
                case .number(let score) = pair[1]
            else {
                throw fields.invalid("Unigram vocab entries must be [piece, score] pairs")
            }
            pieces.append((token, score))
        }
        var unknownId: Int32? = nil
        if fields.has("unk_id") {
            let id = try fields.int("unk_id")
            guard id >= 0, id < pieces.count else { throw fields.invalid("unk_id \(id) is outside the vocabulary") }
            unknownId = Int32(id)
        }
        return UnigramModel(
            pieces: pieces, unknownId: unknownId, byteFallback: try fields.bool("byte_fallback", default: false))
    }
}
