/// `NFD`, `NFKD`, `NFC` and `NFKC` normalizers, with `tokenizers`' alignment of each output scalar to the input.
///
/// Decomposition writes the first scalar of each input scalar's decomposition as a replacement and the rest as
/// insertions; canonical ordering moves marks together with that bookkeeping; composition folds a mark into its
/// starter, which then also consumes the mark's input scalar. Origins are assigned by position afterwards
/// (``NormalizedText/aligned(_:)``), which is what makes offsets match the library's.
struct UnicodeNormalizer: Normalizer {
    /// Which normalization form.
    enum Form: String, Sendable {
        case nfd = "NFD"
        case nfkd = "NFKD"
        case nfc = "NFC"
        case nfkc = "NFKC"

        var isCompatibility: Bool { self == .nfkd || self == .nfkc }
        var composes: Bool { self == .nfc || self == .nfkc }
    }

    let form: Form
    private let tables = UnicodeTables.shared
    private let normalization = NormalizationTables.shared

    init(form: Form) {
        self.form = form
    }

    func normalize(_ text: inout NormalizedText) {
        // Text that is all ASCII is in every normalization form already.
        guard text.scalars.contains(where: { $0 >= 0x80 }) else { return }
        var decomposed = decompose(text.scalars)
        if form.composes { decomposed = compose(decomposed) }
        text = text.aligned(decomposed.map { NormalizedText.AlignedScalar(scalar: $0.scalar, change: $0.change) })
    }

    /// A scalar of the decomposed text, with its combining class.
    private struct Item {
        var scalar: UInt32
        var change: Int32
        var combiningClass: UInt8
    }

    /// The full (canonical or compatibility) decomposition, in canonical order.
    private func decompose(_ scalars: [UInt32]) -> [Item] {
        var items: [Item] = []
        items.reserveCapacity(scalars.count + scalars.count / 4)
        for scalar in scalars {
            var change: Int32 = 0
            let append = { (part: UInt32) in
                self.insert(Item(scalar: part, change: change, combiningClass: self.combiningClass(part)), into: &items)
                change = 1
            }
            if scalar < 0x80 {
                append(scalar)
            } else if form.isCompatibility, normalization.flags(scalar).contains(.compatibilityDecomposition) {
                normalization.forEachCompatibilityDecomposed(scalar, append)
            } else {
                let properties = tables.properties(scalar)
                if properties.contains(.decomposes) || properties.contains(.hangulSyllable) {
                    tables.forEachDecomposed(scalar, append)
                } else {
                    append(scalar)
                }
            }
        }
        return items
    }

    @inline(__always)
    private func combiningClass(_ scalar: UInt32) -> UInt8 {
        scalar < 0x300 ? 0 : tables.combiningClass(scalar)
    }

    /// Appends `item`, moving a mark before the marks of a higher class that precede it (a stable sort of each run).
    private func insert(_ item: Item, into items: inout [Item]) {
        items.append(item)
        guard item.combiningClass != 0 else { return }
        var index = items.count - 1
        while index > 0, items[index - 1].combiningClass > item.combiningClass {
            items.swapAt(index - 1, index)
            index -= 1
        }
    }

    /// Canonical composition: each mark (or Hangul jamo) that is not blocked from the last starter and forms a
    /// primary composite with it is folded into it.
    private func compose(_ items: [Item]) -> [Item] {
        var output: [Item] = []
        output.reserveCapacity(items.count)
        var starter = -1
        var lastClass: UInt8 = 0
        for item in items {
            if starter >= 0 {
                let adjacent = starter == output.count - 1
                if adjacent || (lastClass != 0 && lastClass < item.combiningClass),
                    let composite = normalization.composite(output[starter].scalar, item.scalar)
                {
                    output[starter].scalar = composite
                    output[starter].change += item.change - 1
                    continue
                }
            }
            if item.combiningClass == 0 { starter = output.count }
            lastClass = item.combiningClass
            output.append(item)
        }
        return output
    }
}
