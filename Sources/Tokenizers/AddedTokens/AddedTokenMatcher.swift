/// Finds the longest of a set of scalar patterns that starts at a given position.
///
/// Scanning positions left to right and taking the longest match at the first position that has one is
/// exactly the leftmost-longest semantics of `tokenizers`' Aho-Corasick automaton.
struct AddedTokenMatcher: Sendable {
    private let trie: ScalarTrie
    /// The distinct first scalars of the patterns.
    private let firstScalars: [UInt32]

    /// Creates a matcher for `patterns`, each mapping to a value; returns nil when there is nothing to match.
    init?(_ patterns: [(pattern: String, value: Int32)]) {
        let patterns = patterns.filter { !$0.pattern.isEmpty }
        guard !patterns.isEmpty else { return nil }
        trie = ScalarTrie(patterns.map { (key: $0.pattern, value: $0.value) })
        firstScalars = Array(Set(patterns.map { $0.pattern.unicodeScalars.first!.value })).sorted()
    }

    /// The first position in `start..<end` holding the first scalar of some pattern, or `end`.
    func nextCandidate(in scalars: UnsafeBufferPointer<UInt32>, from start: Int, to end: Int) -> Int {
        var position = start
        if firstScalars.count <= 4 {
            // Few distinct first scalars (BERT has only "["): compare eight scalars at a time.
            let targets = firstScalars.map { SIMD8<UInt32>(repeating: $0) }
            let base = UnsafeRawPointer(scalars.baseAddress!)
            while position + 8 <= end {
                let lanes = (base + position * 4).loadUnaligned(as: SIMD8<UInt32>.self)
                var found = false
                for target in targets where any(lanes .== target) { found = true }
                if found { break }
                position += 8
            }
        }
        while position < end, !isFirstScalar(scalars[position]) { position += 1 }
        return position
    }

    @inline(__always)
    private func isFirstScalar(_ scalar: UInt32) -> Bool {
        for first in firstScalars where first == scalar { return true }
        return false
    }

    /// The value and end of the longest pattern at `start` that ends by `end`, or nil.
    @inline(__always)
    func longestMatch(in scalars: UnsafeBufferPointer<UInt32>, at start: Int, end: Int) -> (value: Int32, end: Int)? {
        var node = ScalarTrie.root
        var best: (value: Int32, end: Int)?
        var index = start
        while index < end {
            node = trie.child(node, scalars[index])
            guard node >= 0 else { break }
            index += 1
            let value = trie.value(node)
            if value >= 0 { best = (value, index) }
        }
        return best
    }
}
