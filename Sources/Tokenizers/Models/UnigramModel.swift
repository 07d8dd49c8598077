/// `Unigram`: SentencePiece's unigram language model. A word is split into the pieces whose scores sum highest
/// (Viterbi); a character no piece covers becomes the unknown piece, and neighbouring unknowns fuse into one.
struct UnigramModel: TokenizationModel {
    /// The penalty below the lowest piece score that an unknown character costs, as in SentencePiece.
    static let unknownPenalty = 10.0

    let vocabulary: Vocabulary
    private let trie: ScalarTrie
    /// Each piece's log probability, by id.
    private let scores: [Double]
    private let unknownId: Int32?
    private let unknownScore: Double
    /// Ids of the `<0x00>`...`<0xFF>` pieces when byte fallback is on and the vocabulary has all of them.
    private let byteIds: [Int32]?
    /// Best paths by word, as symbols whose id is -1 for unknown stretches.
    private let cache = BPECache()

    /// Creates the model.
    /// - Parameters:
    ///   - pieces: The pieces and scores in id order.
    ///   - unknownId: The id of the unknown piece, if any.
    init(pieces: [(token: String, score: Double)], unknownId: Int32?, byteFallback: Bool) {
        let entries = pieces.enumerated().map { (token: $1.token, id: Int32($0)) }
        let vocabulary = Vocabulary(entries)
        self.vocabulary = vocabulary
        trie = ScalarTrie(entries.map { (key: $0.token, value: $0.id) })
        scores = pieces.map(\.score)
        self.unknownId = unknownId
        unknownScore = (scores.min() ?? 0) - Self.unknownPenalty
        if byteFallback {
            let ids = (0..<256).compactMap { vocabulary.id(forToken: BPEModel.byteToken(UInt8($0))) }
            byteIds = ids.count == 256 ? ids : nil
        } else {
            byteIds = nil
        }
    }

    func tokenize(_ word: Range<Int>, of text: NormalizedText, into tokens: inout TokenSequence) {
        let pieces: [BPESymbol]
        if let cached = cache.symbols(for: text.scalars[word]) {
            pieces = cached
        } else {
            pieces = bestPath(text.scalars[word])
            cache.store(pieces, for: text.scalars[word])
        }
        for piece in pieces {
            let range = word.lowerBound + Int(piece.start)..<word.lowerBound + Int(piece.end)
            let offsets = text.originalOffsets(range)
            if piece.id >= 0 {
                tokens.append(piece.id, offsets: offsets)
                continue
            }
            // An unknown stretch: its string may still be a piece (never found by the trie), else bytes or unk.
            let string = BPEModel.string(text.scalars[range])
            if let id = vocabulary.id(forToken: string) {
                tokens.append(id, offsets: offsets)
            } else if let byteIds {
                for byte in string.utf8 { tokens.append(byteIds[Int(byte)], offsets: offsets) }
            } else if let unknownId {
                tokens.append(unknownId, offsets: offsets)
            }
        }
    }

    /// The best segmentation of `word` as pieces with scalar ranges relative to it; unknown stretches (fused)
    /// have id -1.
    private func bestPath(_ word: ArraySlice<UInt32>) -> [BPESymbol] {
        let scalars = Array(word)
        let count = scalars.count
        var bestScore = [Double](repeating: 0, count: count + 1)
        var startsAt = [Int](repeating: -1, count: count + 1)
        var bestId = [Int32](repeating: -1, count: count + 1)
        for start in 0..<count {
            let scoreHere = bestScore[start]
            var node = ScalarTrie.root
            var index = start
            var hasSingle = false
            while index < count {
                node = trie.child(node, scalars[index])
                guard node >= 0 else { break }
                index += 1
                let id = trie.value(node)
                guard id >= 0 else { continue }
                let candidate = scores[Int(id)] + scoreHere
                if startsAt[index] < 0 || candidate > bestScore[index] {
                    bestScore[index] = candidate
                    startsAt[index] = start
                    bestId[index] = id
                }
                if index == start + 1 { hasSingle = true }
            }
            if !hasSingle {
                let candidate = unknownScore + scoreHere
                if startsAt[start + 1] < 0 || candidate > bestScore[start + 1] {
                    bestScore[start + 1] = candidate
                    startsAt[start + 1] = start
                    bestId[start + 1] = -1
                }
            }
        }
        var pieces: [BPESymbol] = []
        var end = count
        while end > 0 {
            let start = startsAt[end]
            let id = bestId[end]
            if id < 0 || id == unknownId, let last = pieces.last, last.id < 0 {
                pieces[pieces.count - 1].start = Int32(start)
            } else {
                pieces.append(BPESymbol(id: id == unknownId ? -1 : id, start: Int32(start), end: Int32(end)))
            }
            end = start
        }
        return pieces.reversed()
    }
}
