/// Parses the Oniguruma (Ruby syntax) regexes found in tokenizer.json files into a ``RegexNode``.
///
/// Supported: literals and escapes, `.`, classes with ranges, negation, nesting and `\p{...}`, `\s \d \w` and their
/// negations, groups `(...)`, `(?:...)`, `(?i:...)`, `(?i)`, lookahead `(?=...)` and `(?!...)`, quantifiers
/// `* + ? {m} {m,} {m,n}` (greedy or lazy), alternation and the anchors `^ $ \A \z`. Anything else is an error.
struct RegexParser {
    private let pattern: [Unicode.Scalar]
    private var position = 0
    private var caseInsensitive = false

    /// Parses `pattern`.
    /// - Throws: A message naming the construct that is not supported or malformed.
    static func parse(_ pattern: String) throws(RegexSyntaxError) -> RegexNode {
        var parser = RegexParser(pattern: Array(pattern.unicodeScalars))
        let node = try parser.alternation()
        guard parser.position == parser.pattern.count else { throw parser.error("unbalanced ')'") }
        return node
    }

    private init(pattern: [Unicode.Scalar]) {
        self.pattern = pattern
    }

    private var current: Unicode.Scalar? { position < pattern.count ? pattern[position] : nil }

    private func error(_ reason: String) -> RegexSyntaxError {
        RegexSyntaxError(message: "\(reason) at offset \(position)")
    }

    private mutating func alternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try sequence()]
        while current == "|" {
            position += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func sequence() throws(RegexSyntaxError) -> RegexNode {
        var nodes: [RegexNode] = []
        let savedFlag = caseInsensitive
        defer { caseInsensitive = savedFlag }
        while let scalar = current, scalar != "|", scalar != ")" {
            guard let atom = try atom() else { continue }
            nodes.append(try quantified(atom))
        }
        return nodes.count == 1 ? nodes[0] : .sequence(nodes)
    }

    private mutating func quantified(_ atom: RegexNode) throws(RegexSyntaxError) -> RegexNode {
        var bounds: (Int, Int?)
        switch current {
        case "*": bounds = (0, nil)
        case "+": bounds = (1, nil)
        case "?": bounds = (0, 1)
        case "{":
            guard let counted = countedBounds() else { return atom }
            bounds = counted
        default: return atom
        }
        position += 1
        var greedy = true
        if current == "?" {
            greedy = false
            position += 1
        } else if current == "+" {
            throw error("possessive quantifiers are not supported")
        }
        return .repetition(atom, min: bounds.0, max: bounds.1, greedy: greedy)
    }

    /// `{m}`, `{m,}` or `{m,n}`, leaving `position` on the closing brace; nil (a literal `{`) otherwise.
    private mutating func countedBounds() -> (Int, Int?)? {
        var index = position + 1
        func number() -> Int? {
            var value: Int? = nil
            while index < pattern.count, let digit = Int(String(pattern[index])), pattern[index].isASCII {
                value = (value ?? 0) * 10 + digit
                index += 1
            }
            return value
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if index < pattern.count, pattern[index] == "," {
            index += 1
            high = number()
        }
        guard index < pattern.count, pattern[index] == "}" else { return nil }
        position = index
        return (low, high)
    }

    /// One atom, or nil for a flag group like `(?i)` that only changes the parser state.
    private mutating func atom() throws(RegexSyntaxError) -> RegexNode? {
        let scalar = pattern[position]
        position += 1
        switch scalar {
        case "(":
            return try group()
        case "[":
            return .set(try characterClass())
        case ".":
            return .set(ScalarSet([.range(0x0A...0x0A)], negated: true))
        case "^":
            return .anchor(.lineStart)
        case "$":
            return .anchor(.lineEnd)
        case "\\":
            return try escape()
        case "*", "+", "?":
            throw error("nothing to repeat")
        default:
            return .set(literal(scalar.value))
        }
    }

    private mutating func group() throws(RegexSyntaxError) -> RegexNode? {
        var lookahead: Bool? = nil
        let savedFlag = caseInsensitive
        if current == "?" {
            position += 1
            switch current {
            case ":": position += 1
            case "=": lookahead = false; position += 1
            case "!": lookahead = true; position += 1
            case "i":
                position += 1
                caseInsensitive = true
                if current == ")" {
                    position += 1
                    return nil
                }
                guard current == ":" else { throw error("unsupported group flags") }
                position += 1
            default:
                throw error("unsupported group syntax")
            }
        }
        let inner = try alternation()
        caseInsensitive = savedFlag
        guard current == ")" else { throw error("missing ')'") }
        position += 1
        if let negative = lookahead { return .lookahead(inner, negative: negative) }
        return inner
    }

    private func literal(_ scalar: UInt32) -> ScalarSet {
        guard caseInsensitive, let value = Unicode.Scalar(scalar) else { return ScalarSet(scalar: scalar) }
        let variants = Set([value.properties.lowercaseMapping, value.properties.uppercaseMapping].compactMap {
            $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first!.value : nil
        } + [scalar])
        return ScalarSet(variants.sorted().map { .range($0...$0) })
    }

    private mutating func escape() throws(RegexSyntaxError) -> RegexNode {
        guard let scalar = current else { throw error("trailing backslash") }
        switch scalar {
        case "A":
            position += 1
            return .anchor(.textStart)
        case "z":
            position += 1
            return .anchor(.textEnd)
        case "b", "B", "G", "Z", "k", "g", "K", "R", "X":
            throw error("unsupported escape \\\(scalar)")
        default:
            switch try escapedItem() {
            case .range(let range) where range.lowerBound == range.upperBound:
                return .set(literal(range.lowerBound))
            case let item:
                return .set(ScalarSet([item]))
            }
        }
    }

    /// The class item of the escape after a backslash (a one-scalar range for plain characters).
    private mutating func escapedItem() throws(RegexSyntaxError) -> ScalarSet.Item {
        let scalar = pattern[position]
        position += 1
        func single(_ value: UInt32) -> ScalarSet.Item { .range(value...value) }
        switch scalar {
        case "s": return .properties(.whitespace, negated: false)
        case "S": return .properties(.whitespace, negated: true)
        case "d": return .properties(.decimalNumber, negated: false)
        case "D": return .properties(.decimalNumber, negated: true)
        case "w": return .properties(.word, negated: false)
        case "W": return .properties(.word, negated: true)
        case "p", "P": return try property(negated: scalar == "P")
        case "n": return single(0x0A)
        case "r": return single(0x0D)
        case "t": return single(0x09)
        case "f": return single(0x0C)
        case "v": return single(0x0B)
        case "a": return single(0x07)
        case "e": return single(0x1B)
        case "0": return single(0)
        case "x": return single(try hexadecimal(braced: current == "{", digits: 2))
        case "u": return single(try hexadecimal(braced: false, digits: 4))
        default:
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                throw error("unsupported escape \\\(scalar)")
            }
            return single(scalar.value)
        }
    }

    private mutating func property(negated: Bool) throws(RegexSyntaxError) -> ScalarSet.Item {
        var name = ""
        if current == "{" {
            position += 1
            var negatedInside = false
            if current == "^" {
                negatedInside = true
                position += 1
            }
            while let scalar = current, scalar != "}" {
                name.unicodeScalars.append(scalar)
                position += 1
            }
            guard current == "}" else { throw error("unterminated \\p{") }
            position += 1
            guard let properties = RegexProperties(name: name) else { throw error("unsupported class \\p{\(name)}") }
            return .properties(properties, negated: negated != negatedInside)
        }
        guard let scalar = current else { throw error("incomplete \\p") }
        position += 1
        guard let properties = RegexProperties(name: String(scalar)) else { throw error("unsupported \\p\(scalar)") }
        return .properties(properties, negated: negated)
    }

    private mutating func hexadecimal(braced: Bool, digits: Int) throws(RegexSyntaxError) -> UInt32 {
        var text = ""
        if braced {
            position += 1
            while let scalar = current, scalar != "}" {
                text.unicodeScalars.append(scalar)
                position += 1
            }
            position += 1
        } else {
            while text.unicodeScalars.count < digits, let scalar = current, scalar.properties.isASCIIHexDigit {
                text.unicodeScalars.append(scalar)
                position += 1
            }
        }
        guard let value = UInt32(text, radix: 16) else { throw error("bad hexadecimal escape") }
        return value
    }

    /// A bracketed class; `position` is just past the `[`.
    private mutating func characterClass() throws(RegexSyntaxError) -> ScalarSet {
        var negated = false
        if current == "^" {
            negated = true
            position += 1
        }
        var items: [ScalarSet.Item] = []
        var first = true
        while let scalar = current, scalar != "]" || first {
            first = false
            position += 1
            var low: UInt32
            switch scalar {
            case "[":
                items.append(.set(try characterClass()))
                continue
            case "&" where current == "&":
                throw error("class intersection is not supported")
            case "\\":
                let item = try escapedItem()
                guard case .range(let range) = item, range.lowerBound == range.upperBound else {
                    items.append(item)
                    continue
                }
                low = range.lowerBound
            default:
                low = scalar.value
            }
            var high = low
            if current == "-", position + 1 < pattern.count, pattern[position + 1] != "]" {
                position += 1
                let end = pattern[position]
                position += 1
                if end == "\\" {
                    guard case .range(let range) = try escapedItem(), range.lowerBound == range.upperBound else {
                        throw error("bad class range")
                    }
                    high = range.lowerBound
                } else {
                    high = end.value
                }
                guard low <= high else { throw error("empty class range") }
            }
            if caseInsensitive {
                for value in low...min(high, low + 200) {
                    if case .set(let variants) = RegexNode.set(literal(value)) { items.append(.set(variants)) }
                }
            }
            items.append(.range(low...high))
        }
        guard current == "]" else { throw error("missing ']'") }
        position += 1
        return ScalarSet(items, negated: negated)
    }
}

/// A regex that ``RegexParser`` cannot parse.
struct RegexSyntaxError: Error, Sendable {
    let message: String
}
