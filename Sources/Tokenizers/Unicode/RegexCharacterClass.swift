/// The class of a scalar in the ByteLevel pre-tokenizer's regex: `\p{L}`, `\p{N}`, `\s`, or none of them.
enum RegexCharacterClass: UInt8, Sendable {
    case other, letter, number, whitespace
}

/// Constant-time lookup of ``RegexCharacterClass``, from ``RegexPropertyTable``.
final class RegexClassTable: Sendable {
    /// The table, once per process.
    static let shared = RegexClassTable()

    private let classes: [RegexCharacterClass]

    private init() {
        let properties = RegexPropertyTable.shared
        classes = (UInt32(0)..<0x110000).map { scalar in
            let found = properties.properties(scalar)
            if found.contains(.letter) { return .letter }
            if found.contains(.number) { return .number }
            if found.contains(.whitespace) { return .whitespace }
            return .other
        }
    }

    /// The class of `scalar`; values past U+10FFFF are `other`.
    @inline(__always)
    func characterClass(_ scalar: UInt32) -> RegexCharacterClass {
        guard scalar < 0x110000 else { return .other }
        return classes[Int(scalar)]
    }
}
