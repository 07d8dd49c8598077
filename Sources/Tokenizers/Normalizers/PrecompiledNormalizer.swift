/// `Precompiled` normalizer: applies a SentencePiece ``PrecompiledCharsmap`` grapheme by grapheme, exactly as
/// `tokenizers` does: a whole grapheme (under 6 UTF-8 bytes) is looked up first, then each of its scalars.
///
/// Origins follow `tokenizers`' transformation list literally, including its quirk: scalars removed before any
/// output scalar are never consumed, so the origins of what follows shift towards the start.
struct PrecompiledNormalizer: Normalizer {
    let charsmap: PrecompiledCharsmap
    /// The replacement of each ASCII scalar standing alone as a grapheme, or nil.
    private let asciiReplacements: [[UInt8]?]

    init(charsmap: PrecompiledCharsmap) {
        self.charsmap = charsmap
        asciiReplacements = (UInt8(0)..<128).map { charsmap.replacement([$0]) }
    }

    func normalize(_ text: inout NormalizedText) {
        guard !text.scalars.isEmpty else { return }
        var transformations: [(scalar: UInt32, change: Int)] = []
        transformations.reserveCapacity(text.count + 8)
        var modified = false
        var index = 0
        let scalars = text.scalars
        // An ASCII scalar followed by another ASCII scalar (CR LF aside) is a grapheme of its own; other stretches,
        // up to such a boundary, are segmented into graphemes by the standard library.
        func isLoneASCII(_ index: Int) -> Bool {
            scalars[index] < 0x80
                && (index + 1 == scalars.count
                    || scalars[index + 1] < 0x80 && !(scalars[index] == 0x0D && scalars[index + 1] == 0x0A))
        }
        while index < scalars.count {
            if isLoneASCII(index) {
                if let replacement = asciiReplacements[Int(scalars[index])] {
                    modified = true
                    Self.replace(1, with: replacement, in: &transformations)
                } else {
                    transformations.append((scalars[index], 0))
                }
                index += 1
                continue
            }
            var end = index + 1
            while end < scalars.count, !(scalars[end - 1] < 0x80 && scalars[end - 1] != 0x0D && isLoneASCII(end)) {
                end += 1
            }
            modified = normalizeGraphemes(scalars[index..<end], into: &transformations) || modified
            index = end
        }
        guard modified else { return }
        text = Self.apply(transformations, to: text)
    }

    /// Appends the transformations of a stretch segmented into graphemes; whether any scalar changed.
    private func normalizeGraphemes(
        _ scalars: ArraySlice<UInt32>,
        into transformations: inout [(scalar: UInt32, change: Int)]
    ) -> Bool {
        var modified = false
        var string = String.UnicodeScalarView()
        string.append(contentsOf: scalars.compactMap(Unicode.Scalar.init))
        for grapheme in String(string) {
            let utf8 = Array(String(grapheme).utf8)
            if utf8.count < 6, let replacement = charsmap.replacement(utf8) {
                modified = true
                Self.replace(grapheme.unicodeScalars.count, with: replacement, in: &transformations)
                continue
            }
            for scalar in grapheme.unicodeScalars {
                if let replacement = charsmap.replacement(Array(String(scalar).utf8)) {
                    modified = true
                    Self.replace(1, with: replacement, in: &transformations)
                } else {
                    transformations.append((scalar.value, 0))
                }
            }
        }
        return modified
    }

    /// `tokenizers`' `replace`: the new scalars, the extra ones marked as insertions, or the removal charged to the
    /// last transformation (which may belong to an earlier grapheme).
    private static func replace(
        _ oldCount: Int,
        with replacement: [UInt8],
        in transformations: inout [(scalar: UInt32, change: Int)]
    ) {
        let new = String(decoding: replacement, as: UTF8.self).unicodeScalars.map(\.value)
        transformations.append(contentsOf: new.map { ($0, 0) })
        let difference = new.count - oldCount
        if difference > 0 {
            for index in transformations.count - difference..<transformations.count {
                transformations[index].change = 1
            }
        } else if difference < 0, !transformations.isEmpty {
            transformations[transformations.count - 1].change += difference
        }
    }

    /// `NormalizedString::transform`: a change of 0 consumes the next original scalar, 1 inserts (with the
    /// previous scalar's origin), -n consumes one and drops n more; unconsumed scalars at the end are dropped.
    static func apply(_ transformations: [(scalar: UInt32, change: Int)], to text: NormalizedText) -> NormalizedText {
        var output = NormalizedText(capacity: transformations.count)
        var consumed = 0
        for (scalar, change) in transformations {
            let origin: Int32
            if change > 0 {
                origin = consumed > 0 ? text.origins[min(consumed, text.count) - 1] : text.origins[0]
            } else {
                origin = text.origins[min(consumed, text.count - 1)]
                consumed += 1 - change
            }
            output.append(scalar, origin: origin)
        }
        return output
    }
}
