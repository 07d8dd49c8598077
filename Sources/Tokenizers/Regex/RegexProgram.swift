/// A compiled regex: instructions for a backtracking machine that matches like Oniguruma (leftmost start, then
/// the first alternative that succeeds, greedy quantifiers longest first).
struct RegexProgram: Sendable {
    enum Instruction: Sendable {
        /// Consume one scalar in the set.
        case set(Int)
        /// Continue at the first target; on failure, at the second.
        case split(Int, Int)
        case jump(Int)
        /// Run the sub-program that follows until its `match`; continue at `next` if it matched (`negative`: if not).
        case lookahead(negative: Bool, next: Int)
        case anchor(RegexNode.Anchor)
        case match
    }

    private(set) var instructions: [Instruction] = []
    private(set) var sets: [ScalarSet] = []

    /// Compiles `pattern`.
    /// - Throws: ``RegexSyntaxError`` for syntax the parser does not support.
    init(_ pattern: String) throws(RegexSyntaxError) {
        let node = try RegexParser.parse(pattern)
        emit(node)
        instructions.append(.match)
    }

    private mutating func emit(_ node: RegexNode) {
        switch node {
        case .set(let set):
            sets.append(set)
            instructions.append(.set(sets.count - 1))
        case .sequence(let nodes):
            for node in nodes { emit(node) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index == branches.count - 1 {
                    emit(branch)
                } else {
                    let split = instructions.count
                    instructions.append(.split(split + 1, -1))
                    emit(branch)
                    jumps.append(instructions.count)
                    instructions.append(.jump(-1))
                    instructions[split] = .split(split + 1, instructions.count)
                }
            }
            for jump in jumps { instructions[jump] = .jump(instructions.count) }
        case .repetition(let body, let minimum, let maximum, let greedy):
            for _ in 0..<minimum { emit(body) }
            if let maximum {
                // Optional copies: each may be skipped, which skips all the following ones too.
                var exits: [Int] = []
                for _ in minimum..<maximum {
                    exits.append(instructions.count)
                    instructions.append(.split(-1, -1))
                    emit(body)
                }
                for exit in exits { instructions[exit] = branch(exit + 1, instructions.count, greedy) }
            } else {
                let loop = instructions.count
                instructions.append(.split(-1, -1))
                emit(body)
                instructions.append(.jump(loop))
                instructions[loop] = branch(loop + 1, instructions.count, greedy)
            }
        case .lookahead(let body, let negative):
            let start = instructions.count
            instructions.append(.lookahead(negative: negative, next: -1))
            emit(body)
            instructions.append(.match)
            instructions[start] = .lookahead(negative: negative, next: instructions.count)
        case .anchor(let anchor):
            instructions.append(.anchor(anchor))
        }
    }

    private func branch(_ body: Int, _ exit: Int, _ greedy: Bool) -> Instruction {
        greedy ? .split(body, exit) : .split(exit, body)
    }
}
