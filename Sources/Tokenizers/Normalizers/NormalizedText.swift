/// Text as Unicode scalar values, each remembering which scalar of the original text it came from.
///
/// Normalizers may drop, replace or expand scalars; `origins` keeps token offsets pointing into the input.
struct NormalizedText: Sendable {
    /// The scalar values of the text.
    var scalars: [UInt32]
    /// For each scalar, the index of the original scalar it was derived from.
    var origins: [Int32]

    var count: Int { scalars.count }

    /// An empty text with room for `capacity` scalars.
    init(capacity: Int) {
        scalars = []
        origins = []
        scalars.reserveCapacity(capacity)
        origins.reserveCapacity(capacity)
    }

    /// A copy of `range` of the original text, unnormalized.
    init(_ original: [UInt32], range: Range<Int>) {
        scalars = Array(original[range])
        origins = (Int32(range.lowerBound)..<Int32(range.upperBound)).map { $0 }
    }

    @inline(__always)
    mutating func append(_ scalar: UInt32, origin: Int32) {
        scalars.append(scalar)
        origins.append(origin)
    }

    /// The offsets in the original text covered by `range` of this text.
    func originalOffsets(_ range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty else { return 0..<0 }
        return Int(origins[range.lowerBound])..<Int(origins[range.upperBound - 1]) + 1
    }
}
