/// `WordPiece`: greedy longest-match-first subword splitting, as BERT uses.
///
/// A word is split left to right into the longest vocabulary entries; pieces after the first are looked up
/// with the continuing-subword prefix (`##`). A word with an unmatchable rest, or longer than
/// `maxInputCharsPerWord` scalars, becomes a single unknown token.
struct WordPieceModel: TokenizationModel {
    let vocabulary: Vocabulary
    private let trie: ScalarTrie
    /// The trie node for the continuing-subword prefix, or -1 when no entry starts with it.
    private let continuationRoot: Int32
    private let unknownId: Int32
    private let maxInputCharsPerWord: Int

    /// Creates the model.
    /// - Throws: ``TokenizerError`` when `unknownToken` is not in the vocabulary.
    init(
        vocabulary: Vocabulary,
        unknownToken: String,
        continuingSubwordPrefix: String,
        maxInputCharsPerWord: Int
    ) throws(TokenizerError) {
        guard let unknownId = vocabulary.id(forToken: unknownToken) else {
            throw .invalid("model", "WordPiece unk_token '\(unknownToken)' is not in the vocabulary")
        }
        self.vocabulary = vocabulary
        self.trie = ScalarTrie(vocabulary.entries)
        self.continuationRoot = trie.walk(from: ScalarTrie.root, continuingSubwordPrefix.unicodeScalars)
        self.unknownId = unknownId
        self.maxInputCharsPerWord = maxInputCharsPerWord
    }

    func tokenize(_ word: Range<Int>, of text: NormalizedText, into tokens: inout TokenSequence) {
        guard word.count <= maxInputCharsPerWord else {
            tokens.append(unknownId, offsets: text.originalOffsets(word))
            return
        }
        let firstToken = tokens.count
        var start = word.lowerBound
        while start < word.upperBound {
            let (id, end) = longestMatch(
                in: text.scalars, from: start, to: word.upperBound, isFirst: start == word.lowerBound)
            guard id >= 0 else {
                tokens.ids.removeSubrange(firstToken...)
                tokens.offsets.removeSubrange(firstToken...)
                tokens.append(unknownId, offsets: text.originalOffsets(word))
                return
            }
            tokens.append(id, offsets: text.originalOffsets(start..<end))
            start = end
        }
    }

    /// The id and end of the longest vocabulary entry starting at `start`, or id -1.
    @inline(__always)
    private func longestMatch(in scalars: [UInt32], from start: Int, to end: Int, isFirst: Bool) -> (Int32, Int) {
        var node = isFirst ? ScalarTrie.root : continuationRoot
        var best: (id: Int32, end: Int) = (-1, start)
        var index = start
        while index < end, node >= 0 {
            node = trie.child(node, scalars[index])
            index += 1
            if node >= 0 {
                let id = trie.value(node)
                if id >= 0 { best = (id, index) }
            }
        }
        return best
    }
}
