extension RegexProgram {
    /// The non-overlapping matches in `range` of `scalars`, left to right, as Oniguruma's `find_iter` returns them:
    /// after an empty match the search resumes one scalar further.
    func matches(in scalars: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var stack: [(pc: Int, position: Int)] = []
        var start = range.lowerBound
        while start <= range.upperBound {
            var matched = false
            for candidate in start...range.upperBound {
                if let end = run(0, at: candidate, scalars, range, &stack) {
                    found.append(candidate..<end)
                    start = end > candidate ? end : candidate + 1
                    matched = true
                    break
                }
            }
            if !matched { break }
        }
        return found
    }

    /// Runs from instruction `pc` at `position`; the end of the first successful path, or nil.
    private func run(
        _ pc: Int,
        at position: Int,
        _ scalars: UnsafeBufferPointer<UInt32>,
        _ range: Range<Int>,
        _ stack: inout [(pc: Int, position: Int)]
    ) -> Int? {
        let base = stack.count
        defer { stack.removeSubrange(base...) }
        var pc = pc
        var position = position
        while true {
            switch instructions[pc] {
            case .set(let index):
                if position < range.upperBound, sets[index].contains(scalars[position]) {
                    position += 1
                    pc += 1
                    continue
                }
            case .split(let first, let second):
                stack.append((second, position))
                pc = first
                continue
            case .jump(let target):
                pc = target
                continue
            case .lookahead(let negative, let next):
                var inner: [(pc: Int, position: Int)] = []
                if (run(pc + 1, at: position, scalars, range, &inner) != nil) != negative {
                    pc = next
                    continue
                }
            case .anchor(let anchor):
                if holds(anchor, at: position, scalars, range) {
                    pc += 1
                    continue
                }
            case .match:
                return position
            }
            // Failure: resume the most recent alternative of this run.
            guard stack.count > base, let (nextPC, nextPosition) = stack.popLast() else { return nil }
            pc = nextPC
            position = nextPosition
        }
    }

    private func holds(
        _ anchor: RegexNode.Anchor,
        at position: Int,
        _ scalars: UnsafeBufferPointer<UInt32>,
        _ range: Range<Int>
    ) -> Bool {
        switch anchor {
        case .textStart: position == range.lowerBound
        case .textEnd: position == range.upperBound
        case .lineStart: position == range.lowerBound || scalars[position - 1] == 0x0A
        case .lineEnd: position == range.upperBound || scalars[position] == 0x0A
        }
    }
}
