/// `BPE`: byte-pair encoding. A word starts as one symbol per scalar and the ranked merges of the file are
/// applied, lowest rank first and leftmost first among equals, until none applies.
///
/// Results are cached per word, since the same words recur constantly in natural text.
struct BPEModel: TokenizationModel {
    /// The settings of a `BPE` model in tokenizer.json, besides its vocabulary and merges.
    struct Options: Sendable {
        var unknownToken: String? = nil
        var fuseUnknown = false
        var byteFallback = false
        var continuingSubwordPrefix: String? = nil
        var endOfWordSuffix: String? = nil
        var ignoreMerges = false
    }

    /// The rank of a merge and the id of the token it produces.
    struct Merge: Sendable {
        var rank: Int32
        var id: Int32
    }

    let vocabulary: Vocabulary
    let options: Options
    /// Merges by `left << 32 | right` ids.
    let merges: [UInt64: Merge]
    /// Ids of single-scalar tokens below U+0800, or -1; other single scalars are looked up in `vocabulary`.
    let smallScalarIds: [Int32]
    /// Ids of the `<0x00>`...`<0xFF>` tokens when byte fallback is on and the vocabulary has all of them.
    let byteIds: [Int32]?
    let unknownId: Int32?
    let cache = BPECache()

    /// Creates the model.
    /// - Parameter merges: Token pairs in rank order.
    /// - Throws: ``TokenizerError`` when a merge names a token missing from the vocabulary.
    init(vocabulary: Vocabulary, merges: [(String, String)], options: Options) throws(TokenizerError) {
        self.vocabulary = vocabulary
        self.options = options
        let prefixLength = options.continuingSubwordPrefix?.utf8.count ?? 0
        var table: [UInt64: Merge] = [:]
        table.reserveCapacity(merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            let joined = left + String(decoding: right.utf8.dropFirst(prefixLength), as: UTF8.self)
            guard let leftId = vocabulary.id(forToken: left), let rightId = vocabulary.id(forToken: right),
                let id = vocabulary.id(forToken: joined)
            else {
                throw .invalid("model", "BPE merge '\(left) \(right)' uses a token missing from the vocabulary")
            }
            table[UInt64(UInt32(bitPattern: leftId)) << 32 | UInt64(UInt32(bitPattern: rightId))] = Merge(
                rank: Int32(rank), id: id)
        }
        self.merges = table
        var small = [Int32](repeating: -1, count: 0x800)
        for (token, id) in vocabulary.entries {
            let scalars = token.unicodeScalars
            if scalars.count == 1, let scalar = scalars.first, scalar.value < 0x800 { small[Int(scalar.value)] = id }
        }
        self.smallScalarIds = small
        if options.byteFallback {
            let ids = (0..<256).compactMap { vocabulary.id(forToken: Self.byteToken(UInt8($0))) }
            byteIds = ids.count == 256 ? ids : nil
        } else {
            byteIds = nil
        }
        unknownId = options.unknownToken.flatMap { vocabulary.id(forToken: $0) }
    }

    /// The byte-fallback token of `byte`, e.g. `<0x0A>`.
    static func byteToken(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (byte < 16 ? "0" : "") + hex + ">"
    }

    func tokenize(_ word: Range<Int>, of text: NormalizedText, into tokens: inout TokenSequence) {
        let symbols: [BPESymbol]
        if let cached = cache.symbols(for: text.scalars[word]) {
            symbols = cached
        } else {
            symbols = encode(text.scalars[word])
            cache.store(symbols, for: text.scalars[word])
        }
        for symbol in symbols {
            let range = word.lowerBound + Int(symbol.start)..<word.lowerBound + Int(symbol.end)
            tokens.append(symbol.id, offsets: text.originalOffsets(range))
        }
    }

    /// The tokens of one word, with scalar ranges relative to the word.
    func encode(_ word: ArraySlice<UInt32>) -> [BPESymbol] {
        if options.ignoreMerges, let id = vocabulary.id(forToken: Self.string(word)) {
            return [BPESymbol(id: id, start: 0, end: Int32(word.count))]
        }
        var symbols = initialSymbols(word)
        mergeAll(&symbols)
        return symbols
    }

    static func string(_ scalars: some Sequence<UInt32>) -> String {
        var string = String.UnicodeScalarView()
        string.append(contentsOf: scalars.compactMap(Unicode.Scalar.init))
        return String(string)
    }
}
