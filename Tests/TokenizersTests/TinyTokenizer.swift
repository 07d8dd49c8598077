import Foundation

@testable import Tokenizers

/// Small hand-made tokenizer.json documents for focused tests.
enum TinyTokenizer {
    /// A BERT-style vocabulary: specials first, then words and `##` continuations.
    static let vocabulary = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "hello", "world", "a", "##b", "##c",
        ",", "!", "'", "s", "it", "<ent>",
    ]

    static var bertTemplate: [String: Any] {
        [
            "type": "TemplateProcessing",
            "single": [special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0)],
            "pair": [
                special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0), sequence("B", 1), special("[SEP]", 1),
            ],
            "special_tokens": [
                "[CLS]": ["id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]],
                "[SEP]": ["id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]],
            ],
        ]
    }

    static func special(_ id: String, _ typeId: Int) -> [String: Any] {
        ["SpecialToken": ["id": id, "type_id": typeId]]
    }

    static func sequence(_ id: String, _ typeId: Int) -> [String: Any] {
        ["Sequence": ["id": id, "type_id": typeId]]
    }

    static func addedToken(
        _ content: String,
        id: Int,
        special: Bool = true,
        normalized: Bool = false,
        singleWord: Bool = false,
        lstrip: Bool = false,
        rstrip: Bool = false
    ) -> [String: Any] {
        [
            "id": id, "content": content, "special": special, "normalized": normalized,
            "single_word": singleWord, "lstrip": lstrip, "rstrip": rstrip,
        ]
    }

    /// The document as a dictionary, with top-level keys replaced by `overrides`.
    static func json(_ overrides: [String: Any] = [:], maxInputCharsPerWord: Int = 100) -> [String: Any] {
        var document: [String: Any] = [
            "version": "1.0",
            "truncation": NSNull(),
            "padding": NSNull(),
            "added_tokens": vocabulary.prefix(5).enumerated().map { addedToken($1, id: $0) },
            "normalizer": [
                "type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                "strip_accents": NSNull(), "lowercase": true,
            ] as [String: Any],
            "pre_tokenizer": ["type": "BertPreTokenizer"],
            "post_processor": bertTemplate,
            "decoder": ["type": "WordPiece", "prefix": "##", "cleanup": true] as [String: Any],
            "model": [
                "type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                "max_input_chars_per_word": maxInputCharsPerWord,
                "vocab": Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) }),
            ] as [String: Any],
        ]
        document.merge(overrides) { _, new in new }
        return document
    }

    static func data(_ overrides: [String: Any] = [:], maxInputCharsPerWord: Int = 100) throws -> Data {
        try JSONSerialization.data(withJSONObject: json(overrides, maxInputCharsPerWord: maxInputCharsPerWord))
    }

    static func tokenizer(_ overrides: [String: Any] = [:], maxInputCharsPerWord: Int = 100) throws -> Tokenizer {
        try Tokenizer(data: data(overrides, maxInputCharsPerWord: maxInputCharsPerWord))
    }

    /// The vocabulary ids of `tokens`.
    static func ids(_ tokens: String...) -> [Int32] {
        tokens.map { Int32(vocabulary.firstIndex(of: $0)!) }
    }
}
