import Synchronization

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
