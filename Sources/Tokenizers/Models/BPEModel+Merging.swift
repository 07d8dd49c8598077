import Synchronization

extension BPEModel {
    /// One symbol per scalar (with the continuing-subword prefix and end-of-word suffix where configured),
    /// falling back to byte tokens or the unknown token for scalars missing from the vocabulary.
    func initialSymbols(_ word: ArraySlice<UInt32>) -> [BPESymbol] {
        var symbols: [BPESymbol] = []
        symbols.reserveCapacity(word.count)
        var unknown: BPESymbol? = nil
        let decorated = options.continuingSubwordPrefix != nil || options.endOfWordSuffix != nil
        for (offset, scalar) in word.enumerated() {
            let start = Int32(offset)
            var id: Int32? = nil
            if !decorated, scalar < 0x800 {
                let small = smallScalarIds[Int(scalar)]
                id = small >= 0 ? small : nil
            } else {
                id = vocabulary.id(forToken: piece(scalar, isFirst: offset == 0, isLast: offset == word.count - 1))
            }
            if let id {
                if let pending = unknown {
                    symbols.append(pending)
                    unknown = nil
                }
                symbols.append(BPESymbol(id: id, start: start, end: start + 1))
                continue
            }
            if let byteIds {
                let text = piece(scalar, isFirst: offset == 0, isLast: offset == word.count - 1)
                for byte in text.utf8 {
                    symbols.append(BPESymbol(id: byteIds[Int(byte)], start: start, end: start + 1))
                }
                continue
            }
            guard let unknownId else { continue }
            if var pending = unknown, options.fuseUnknown {
                pending.end = start + 1
                unknown = pending
            } else {
                if let pending = unknown { symbols.append(pending) }
                unknown = BPESymbol(id: unknownId, start: start, end: start + 1)
            }
        }
        if let pending = unknown { symbols.append(pending) }
        return symbols
    }

    /// The vocabulary string of one scalar at a position of its word.
    private func piece(_ scalar: UInt32, isFirst: Bool, isLast: Bool) -> String {
        var text = Unicode.Scalar(scalar).map { String(Character($0)) } ?? ""
        if !isFirst, let prefix = options.continuingSubwordPrefix { text = prefix + text }
        if isLast, let suffix = options.endOfWordSuffix { text += suffix }
        return text
    }

    /// Applies merges until none applies: each round merges the lowest-ranked adjacent pair, leftmost first.
    func mergeAll(_ symbols: inout [BPESymbol]) {
        guard symbols.count > 1 else { return }
        // `ranks[i]` is the rank of the pair (symbols[i], symbols[i + 1]) or Int32.max; merged-away symbols
        // are removed from the array so the scan stays over live symbols only.
        var ranks = [Int32](repeating: .max, count: symbols.count)
        var results = [Int32](repeating: -1, count: symbols.count)
        for index in 0..<symbols.count - 1 {
            if let merge = self.merge(symbols[index].id, symbols[index + 1].id) {
                ranks[index] = merge.rank
                results[index] = merge.id
            }
        }
        while symbols.count > 1 {
            var best = -1
            var bestRank = Int32.max
            for index in 0..<symbols.count - 1 where ranks[index] < bestRank {
                bestRank = ranks[index]
                best = index
            }
            guard best >= 0 else { return }
            symbols[best] = BPESymbol(id: results[best], start: symbols[best].start, end: symbols[best + 1].end)
            symbols.remove(at: best + 1)
            ranks.remove(at: best + 1)
            results.remove(at: best + 1)
            if best + 1 < symbols.count, let merge = self.merge(symbols[best].id, symbols[best + 1].id) {
                ranks[best] = merge.rank
                results[best] = merge.id
            } else {
                ranks[best] = .max
            }
            if best > 0, let merge = self.merge(symbols[best - 1].id, symbols[best].id) {
                ranks[best - 1] = merge.rank
                results[best - 1] = merge.id
            } else if best > 0 {
                ranks[best - 1] = .max
            }
        }
    }

    @inline(__always)
    private func merge(_ left: Int32, _ right: Int32) -> Merge? {
        merges[UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))]
    }
}

/// A token of a word being merged: its id and the scalars of the word it covers.
struct BPESymbol: Sendable, Equatable {
    var id: Int32
    /// The first scalar, relative to the word.
    var start: Int32
    /// One past the last scalar, relative to the word.
    var end: Int32
}

/// Word-to-tokens results of a ``BPEModel`` or ``UnigramModel``, shared by every thread that encodes with it.
///
/// Holds at most ``capacity`` words; once full it stops adding, as `tokenizers` does, which keeps the common
/// words (seen first) and bounds memory.
final class BPECache: Sendable {
    /// The most words kept.
    static let capacity = 10_000

    private let entries = Mutex<[ArraySlice<UInt32>: [BPESymbol]]>([:])

    /// The cached tokens of `word`.
    func symbols(for word: ArraySlice<UInt32>) -> [BPESymbol]? {
        entries.withLock { $0[word] }
    }

    /// Remembers the tokens of `word` unless the cache is full.
    func store(_ symbols: [BPESymbol], for word: ArraySlice<UInt32>) {
        entries.withLock { entries in
            if entries.count < Self.capacity { entries[word] = symbols }
        }
    }
}
