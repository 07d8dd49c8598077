/// The Unicode classes a tokenizer.json regex can test, one bit each, in ``RegexPropertyData``'s order.
struct RegexProperties: OptionSet, Sendable {
    let rawValue: UInt16

    init(rawValue: UInt16) { self.rawValue = rawValue }

    static let letter = Self(rawValue: 1 << 0)
    static let uppercaseLetter = Self(rawValue: 1 << 1)
    static let lowercaseLetter = Self(rawValue: 1 << 2)
    static let titlecaseLetter = Self(rawValue: 1 << 3)
    static let modifierLetter = Self(rawValue: 1 << 4)
    static let otherLetter = Self(rawValue: 1 << 5)
    static let mark = Self(rawValue: 1 << 6)
    static let number = Self(rawValue: 1 << 7)
    static let decimalNumber = Self(rawValue: 1 << 8)
    static let punctuation = Self(rawValue: 1 << 9)
    static let symbol = Self(rawValue: 1 << 10)
    static let separator = Self(rawValue: 1 << 11)
    /// `\s`.
    static let whitespace = Self(rawValue: 1 << 12)
    /// `\w`.
    static let word = Self(rawValue: 1 << 13)

    /// The class named in `\p{...}`, by its short or long Unicode name.
    init?(name: String) {
        switch name {
        case "L", "Letter": self = .letter
        case "Lu", "Uppercase_Letter": self = .uppercaseLetter
        case "Ll", "Lowercase_Letter": self = .lowercaseLetter
        case "Lt", "Titlecase_Letter": self = .titlecaseLetter
        case "Lm", "Modifier_Letter": self = .modifierLetter
        case "Lo", "Other_Letter": self = .otherLetter
        case "M", "Mark", "Combining_Mark": self = .mark
        case "N", "Number": self = .number
        case "Nd", "Decimal_Number", "Digit": self = .decimalNumber
        case "P", "Punctuation", "Punct": self = .punctuation
        case "S", "Symbol": self = .symbol
        case "Z", "Separator": self = .separator
        case "Space", "White_Space": self = .whitespace
        case "Word": self = .word
        default: return nil
        }
    }
}

/// Constant-time lookup of ``RegexProperties``: the high bits of a scalar select a block of 256 entries,
/// identical blocks are shared.
final class RegexPropertyTable: Sendable {
    /// The table built from ``RegexPropertyData``, once per process.
    static let shared = RegexPropertyTable()

    private let blockIndex: [UInt16]
    private let entries: [UInt16]

    private init() {
        var flat = [UInt16](repeating: 0, count: 0x110000)
        let data = [
            RegexPropertyData.letter, RegexPropertyData.uppercaseLetter, RegexPropertyData.lowercaseLetter,
            RegexPropertyData.titlecaseLetter, RegexPropertyData.modifierLetter, RegexPropertyData.otherLetter,
            RegexPropertyData.mark, RegexPropertyData.number, RegexPropertyData.decimalNumber,
            RegexPropertyData.punctuation, RegexPropertyData.symbol, RegexPropertyData.separator,
            RegexPropertyData.whitespace, RegexPropertyData.word,
        ]
        for (bit, set) in data.enumerated() {
            for item in set.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                let bounds = item.split(separator: "-")
                let first = Int(bounds[0], radix: 16)!
                let last = bounds.count > 1 ? Int(bounds[1], radix: 16)! : first
                for scalar in first...last { flat[scalar] |= 1 << UInt16(bit) }
            }
        }
        var index: [UInt16] = []
        var entries: [UInt16] = []
        var known: [ArraySlice<UInt16>: UInt16] = [:]
        for start in stride(from: 0, to: flat.count, by: 256) {
            let block = flat[start..<start + 256]
            if let existing = known[block] {
                index.append(existing)
            } else {
                let number = UInt16(entries.count / 256)
                known[block] = number
                index.append(number)
                entries.append(contentsOf: block)
            }
        }
        self.blockIndex = index
        self.entries = entries
    }

    /// The classes of `scalar`; none for values past U+10FFFF.
    @inline(__always)
    func properties(_ scalar: UInt32) -> RegexProperties {
        guard scalar < 0x110000 else { return [] }
        return RegexProperties(rawValue: entries[Int(blockIndex[Int(scalar >> 8)]) << 8 | Int(scalar & 0xFF)])
    }
}
