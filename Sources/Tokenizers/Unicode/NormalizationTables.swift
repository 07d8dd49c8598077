/// Constant-time lookup of the data behind NFKD/NFC/NFKC, StripAccents, Whitespace, Digits and UnicodeScripts.
///
/// Laid out like ``UnicodeTables``: the high bits of a scalar select a block of 128 entries, identical blocks are
/// shared. An entry holds the script number in its low 8 bits, ``Flags`` above it, and for scalars with a
/// compatibility decomposition a record index in its high 16 bits.
final class NormalizationTables: Sendable {
    /// The tables built from ``NormalizationTableData``, once per process.
    static let shared = NormalizationTables()

    /// Classes of a scalar.
    struct Flags: OptionSet, Sendable {
        let rawValue: UInt32
        /// `\w` of the Whitespace pre-tokenizer.
        static let word = Self(rawValue: 1 << 8)
        /// `\s` of the Whitespace pre-tokenizer.
        static let space = Self(rawValue: 1 << 9)
        /// Removed by StripAccents.
        static let combiningMark = Self(rawValue: 1 << 10)
        /// Has a compatibility decomposition that differs from its canonical one.
        static let compatibilityDecomposition = Self(rawValue: 1 << 11)
        /// Rust's `char::is_numeric` (Nd, Nl, No), on which Digits splits.
        static let numeric = Self(rawValue: 1 << 12)
    }

    static let blockShift: UInt32 = 7
    private static let blockMask: UInt32 = (1 << blockShift) - 1

    private let blockIndex: [UInt16]
    private let entries: [UInt32]
    private let decompositionScalars: [UInt32]
    private let decompositionRanges: [Range<Int32>]
    /// Primary composites by their two parts, `first << 32 | second`.
    private let compositions: [UInt64: UInt32]
    /// The longest compatibility decomposition, in scalars.
    let maxCompatibilityLength: Int

    private init() {
        var builder = Builder()
        builder.build()
        let (index, entries) = builder.packBlocks(shift: Self.blockShift)
        self.blockIndex = index
        self.entries = entries
        self.decompositionScalars = builder.decompositionScalars
        self.decompositionRanges = builder.decompositionRanges
        self.compositions = builder.compositions
        self.maxCompatibilityLength = builder.decompositionRanges.map(\.count).max() ?? 1
    }

    @inline(__always)
    private func entry(_ scalar: UInt32) -> UInt32 {
        let block = Int(blockIndex[Int(scalar >> Self.blockShift)])
        return entries[block << Int(Self.blockShift) | Int(scalar & Self.blockMask)]
    }

    /// The classes `scalar` belongs to.
    @inline(__always)
    func flags(_ scalar: UInt32) -> Flags {
        Flags(rawValue: entry(scalar) & 0xFF00)
    }

    /// The script number of `scalar` as UnicodeScripts compares them; 0 for "any script".
    @inline(__always)
    func script(_ scalar: UInt32) -> UInt8 {
        UInt8(truncatingIfNeeded: entry(scalar))
    }

    /// Calls `body` with each scalar of the full compatibility decomposition of a scalar whose flags contain
    /// `.compatibilityDecomposition`.
    @inline(__always)
    func forEachCompatibilityDecomposed(_ scalar: UInt32, _ body: (UInt32) -> Void) {
        for index in decompositionRanges[Int(entry(scalar) >> 16)] {
            body(decompositionScalars[Int(index)])
        }
    }

    /// The primary composite of `first` followed by `second`, Hangul syllables included, or nil.
    func composite(_ first: UInt32, _ second: UInt32) -> UInt32? {
        // Hangul: leading consonant + vowel, then syllable without a trailing consonant + trailing consonant.
        if first &- 0x1100 < 19, second &- 0x1161 < 21 {
            return 0xAC00 + ((first - 0x1100) * 21 + (second - 0x1161)) * 28
        }
        if first &- 0xAC00 < 11_172, (first - 0xAC00) % 28 == 0, second &- 0x11A8 < 27 {
            return first + (second - 0x11A7)
        }
        return compositions[UInt64(first) << 32 | UInt64(second)]
    }
}
