extension ScalarTrie {
    /// Builds the double array from a pointer-based byte trie, placing nodes breadth first.
    struct Builder {
        /// Children of each temporary node as (byte, node), sorted by byte.
        private var children: [[(byte: UInt8, node: Int32)]] = [[]]
        private var values: [Int32] = [-1]

        init(_ entries: some Sequence<(key: String, value: Int32)>) {
            for (string, value) in entries {
                var node: Int32 = 0
                for byte in string.utf8 {
                    node = childOrInsert(node, byte)
                }
                values[Int(node)] = value
            }
        }

        private mutating func childOrInsert(_ node: Int32, _ byte: UInt8) -> Int32 {
            var low = 0
            var high = children[Int(node)].count
            while low < high {
                let middle = (low + high) / 2
                if children[Int(node)][middle].byte < byte { low = middle + 1 } else { high = middle }
            }
            if low < children[Int(node)].count, children[Int(node)][low].byte == byte {
                return children[Int(node)][low].node
            }
            let child = Int32(children.count)
            children.append([])
            values.append(-1)
            children[Int(node)].insert((byte, child), at: low)
            return child
        }

        func build() -> [Unit] {
            var slots = Slots(count: max(1024, children.count * 2))
            slots.take(0, parent: -2, value: values[0])
            var queue: [(temporary: Int32, unit: Int32)] = [(0, 0)]
            var head = 0
            while head < queue.count {
                let (temporary, unit) = queue[head]
                head += 1
                let nodeChildren = children[Int(temporary)]
                guard !nodeChildren.isEmpty else { continue }
                let base = slots.findBase(for: nodeChildren.map(\.byte))
                slots[base: Int(unit)] = Int32(base)
                for (byte, child) in nodeChildren {
                    let target = base + Int(byte)
                    slots.take(target, parent: unit, value: values[Int(child)])
                    queue.append((child, Int32(target)))
                }
            }
            return slots.trimmedUnits()
        }
    }

    /// The units being filled, with an ascending linked list of the free ones so searches skip taken units.
    private struct Slots {
        private static let none = Int.max

        private(set) var units: [Unit] = []
        private var nextFree: [Int] = []
        private var previousFree: [Int] = []
        private var lastFree = -1
        /// Where the search for a base starts; free units before it are abandoned as too fragmented.
        private var searchStart = Slots.none

        init(count: Int) {
            grow(to: count)
        }

        /// Marks a free unit as a node.
        mutating func take(_ index: Int, parent: Int32, value: Int32) {
            let (before, after) = (previousFree[index], nextFree[index])
            if before >= 0 { nextFree[before] = after }
            if after != Self.none { previousFree[after] = before } else { lastFree = before }
            if searchStart == index { searchStart = after }
            units[index].check = parent
            units[index].value = value
        }

        /// Sets a node's base.
        subscript(base index: Int) -> Int32 {
            get { units[index].base }
            set { units[index].base = newValue }
        }

        /// The first base at or after the search start where every child byte lands on a free unit.
        mutating func findBase(for bytes: [UInt8]) -> Int {
            let first = Int(bytes[0])
            var candidate = searchStart
            var attempts = 0
            while true {
                if candidate == Self.none {
                    candidate = units.count
                    grow(to: units.count * 2)
                }
                if candidate > first {
                    let base = candidate - first
                    if base + 256 >= units.count { grow(to: units.count * 2) }
                    if bytes.allSatisfy({ units[base + Int($0)].check == -1 }) { return base }
                    attempts += 1
                    // As darts does: give up on a crowded stretch rather than rescanning it for every node.
                    if attempts > 32 { searchStart = candidate }
                }
                candidate = nextFree[candidate]
            }
        }

        /// The units without the free tail.
        func trimmedUnits() -> [Unit] {
            var end = units.count
            while end > 1, units[end - 1].check == -1 { end -= 1 }
            return Array(units[..<end])
        }

        private mutating func grow(to count: Int) {
            let old = units.count
            units.append(contentsOf: repeatElement(Unit(), count: count - old))
            nextFree.append(contentsOf: (old + 1)..<(count + 1))
            nextFree[count - 1] = Self.none
            previousFree.append(contentsOf: (old - 1)..<(count - 1))
            previousFree[old] = lastFree
            if lastFree >= 0 { nextFree[lastFree] = old }
            lastFree = count - 1
            if searchStart == Self.none { searchStart = old }
        }
    }
}
