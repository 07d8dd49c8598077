/// Constant-time lookup of ``ScalarProperties``, lowercase mappings, decompositions and combining classes.
///
/// A two-level table: the high bits of a scalar select a block of 128 entries, identical blocks are shared.
/// Each entry holds the properties in its low 16 bits and, for scalars with mappings, a record index above.
final class UnicodeTables: Sendable {
    /// The tables built from ``UnicodeTableData``, once per process.
    static let shared = UnicodeTables()

    private static let blockShift: UInt32 = 7
    private static let blockMask: UInt32 = (1 << blockShift) - 1

    private let blockIndex: [UInt16]
    private let entries: [UInt32]
    /// Scalars of all lowercase mappings and decompositions, addressed by the records.
    private let mappedScalars: [UInt32]
    private let lowercaseRanges: [Range<Int32>]
    private let decompositionRanges: [Range<Int32>]
    private let combiningClasses: [UInt8]
    /// The longest canonical decomposition, in scalars.
    let maxDecompositionLength: Int
    /// The longest lowercase mapping, in scalars.
    let maxLowercaseLength: Int

    private init() {
        var builder = Builder()
        builder.build()
        let (index, entries) = builder.packBlocks(shift: Self.blockShift)
        self.blockIndex = index
        self.entries = entries
        self.mappedScalars = builder.mappedScalars
        self.lowercaseRanges = builder.lowercaseRanges
        self.decompositionRanges = builder.decompositionRanges
        self.combiningClasses = builder.combiningClasses
        self.maxDecompositionLength = max(3, builder.decompositionRanges.map(\.count).max() ?? 0)
        self.maxLowercaseLength = max(1, builder.lowercaseRanges.map(\.count).max() ?? 0)
    }

    @inline(__always)
    private func entry(_ scalar: UInt32) -> UInt32 {
        let block = Int(blockIndex[Int(scalar >> Self.blockShift)])
        return entries[block << Int(Self.blockShift) | Int(scalar & Self.blockMask)]
    }

    /// The classes `scalar` belongs to.
    @inline(__always)
    func properties(_ scalar: UInt32) -> ScalarProperties {
        ScalarProperties(rawValue: UInt16(truncatingIfNeeded: entry(scalar)))
    }

    /// The canonical combining class of `scalar` (0 for starters).
    func combiningClass(_ scalar: UInt32) -> UInt8 {
        combiningClasses[Int(entry(scalar) >> 16)]
    }

    /// Calls `body` with each scalar of the lowercase form of a scalar whose properties contain `.lowercases`.
    @inline(__always)
    func forEachLowercase(_ scalar: UInt32, _ body: (UInt32) -> Void) {
        for index in lowercaseRanges[Int(entry(scalar) >> 16)] {
            body(mappedScalars[Int(index)])
        }
    }

    /// Calls `body` with each scalar of the full canonical decomposition of a scalar with `.decomposes`
    /// or `.hangulSyllable` in its properties.
    @inline(__always)
    func forEachDecomposed(_ scalar: UInt32, _ body: (UInt32) -> Void) {
        if scalar &- 0xAC00 < 11_172 {
            let index = scalar - 0xAC00
            body(0x1100 + index / 588)
            body(0x1161 + (index % 588) / 28)
            if index % 28 != 0 { body(0x11A7 + index % 28) }
            return
        }
        for index in decompositionRanges[Int(entry(scalar) >> 16)] {
            body(mappedScalars[Int(index)])
        }
    }
}
