/// `WordLevel`: each word is one vocabulary entry, or the unknown token.
struct WordLevelModel: TokenizationModel {
    let vocabulary: Vocabulary
    private let trie: ScalarTrie
    private let unknownId: Int32

    /// Creates the model.
    /// - Throws: ``TokenizerError`` when `unknownToken` is not in the vocabulary: `tokenizers` would fail on the
    ///   first unknown word instead, and Swift encoding never fails.
    init(vocabulary: Vocabulary, unknownToken: String) throws(TokenizerError) {
        guard let unknownId = vocabulary.id(forToken: unknownToken) else {
            throw .invalid("model", "WordLevel unk_token '\(unknownToken)' is not in the vocabulary")
        }
        self.vocabulary = vocabulary
        self.trie = ScalarTrie(vocabulary.entries)
        self.unknownId = unknownId
    }

    func tokenize(_ word: Range<Int>, of text: NormalizedText, into tokens: inout TokenSequence) {
        var node = ScalarTrie.root
        for index in word where node >= 0 {
            node = trie.child(node, text.scalars[index])
        }
        let id = node >= 0 ? trie.value(node) : -1
        tokens.append(id >= 0 ? id : unknownId, offsets: text.originalOffsets(word))
    }
}
