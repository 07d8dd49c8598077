/// Finds the longest of a set of scalar patterns that starts at a given position.
///
/// Scanning positions left to right and taking the longest match at the first position that has one is
/// exactly the leftmost-longest semantics of `tokenizers`' Aho-Corasick automaton.
struct AddedTokenMatcher: Sendable {
    private let trie: ScalarTrie
    /// Whether every pattern starts with an ASCII scalar, so other scalars can be skipped without a lookup.
    private let asciiStartsOnly: Bool

    /// Creates a matcher for `patterns`, each mapping to a value; returns nil when there is nothing to match.
    init?(_ patterns: [(pattern: String, value: Int32)]) {
        let patterns = patterns.filter { !$0.pattern.isEmpty }
        guard !patterns.isEmpty else { return nil }
        trie = ScalarTrie(patterns.map { (key: $0.pattern, value: $0.value) })
        asciiStartsOnly = patterns.allSatisfy { $0.pattern.unicodeScalars.first!.isASCII }
    }

    /// The value and end of the longest pattern at `start` that ends by `end`, or nil.
    @inline(__always)
    func longestMatch(in scalars: UnsafeBufferPointer<UInt32>, at start: Int, end: Int) -> (value: Int32, end: Int)? {
        if asciiStartsOnly, scalars[start] >= 0x80 { return nil }
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
