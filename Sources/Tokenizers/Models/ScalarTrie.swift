/// A prefix tree mapping strings to ids, walked one Unicode scalar at a time without allocating.
///
/// Stored as a double-array trie over UTF-8 bytes: the child of node `s` along byte `c` is unit
/// `base[s] + c`, valid when that unit's `check` is `s`. A step is one add and one load, and the children
/// of a node sit next to each other, so hot paths near the root stay in cache.
struct ScalarTrie: Sendable {
    /// The root node.
    static let root: Int32 = 0

    struct Unit: Sendable {
        /// Offset of this node's children.
        var base: Int32 = 0
        /// The parent node, or -1 for a free unit (-2 for the root).
        var check: Int32 = -1
        /// The id stored at this node, or -1.
        var value: Int32 = -1
    }

    private let units: [Unit]

    /// Builds the trie; a string given twice keeps the last id.
    init(_ entries: some Sequence<(key: String, value: Int32)>) {
        units = Builder(entries).build()
    }

    /// The child of `node` along `scalar`, or -1.
    @inline(__always)
    func child(_ node: Int32, _ scalar: UInt32) -> Int32 {
        if scalar < 0x80 { return step(node, scalar) }
        var node = node
        if scalar < 0x800 {
            node = step(node, 0xC0 | scalar >> 6)
        } else if scalar < 0x10000 {
            node = step(step(node, 0xE0 | scalar >> 12), 0x80 | (scalar >> 6) & 0x3F)
        } else {
            node = step(
                step(step(node, 0xF0 | scalar >> 18), 0x80 | (scalar >> 12) & 0x3F), 0x80 | (scalar >> 6) & 0x3F)
        }
        return step(node, 0x80 | scalar & 0x3F)
    }

    /// One byte transition; -1 stays -1.
    @inline(__always)
    private func step(_ node: Int32, _ byte: UInt32) -> Int32 {
        guard node >= 0 else { return -1 }
        return units.withUnsafeBufferPointer { units in
            let target = Int(units[Int(node)].base) + Int(byte)
            return target < units.count && units[target].check == node ? Int32(target) : -1
        }
    }

    /// The node reached from `node` along all of `scalars`, or -1.
    func walk(from node: Int32, _ scalars: some Sequence<Unicode.Scalar>) -> Int32 {
        var node = node
        for scalar in scalars where node >= 0 {
            node = child(node, scalar.value)
        }
        return node
    }

    /// The id stored at `node`, or -1.
    @inline(__always)
    func value(_ node: Int32) -> Int32 {
        units.withUnsafeBufferPointer { $0[Int(node)].value }
    }
}
