/// `Replace` normalizer: replaces every match of a regex or string by fixed content.
///
/// The inserted scalars take the origin of the last scalar they replace, as `tokenizers`' alignments do.
struct ReplaceNormalizer: Normalizer {
    let pattern: SplitPreTokenizer.Pattern
    let content: [UInt32]

    func normalize(_ text: inout NormalizedText) {
        let matches = text.scalars.withUnsafeBufferPointer { scalars in
            switch pattern {
            case .regex(let program): program.matches(in: scalars, 0..<scalars.count)
            case .literal(let needle): SplitPreTokenizer.occurrences(of: needle, in: scalars, 0..<scalars.count)
            }
        }
        guard !matches.isEmpty else { return }
        var output = NormalizedText(capacity: text.count + matches.count * content.count)
        var previous = 0
        for match in matches {
            for index in previous..<match.lowerBound { output.append(text.scalars[index], origin: text.origins[index]) }
            if !match.isEmpty {
                let origin = text.origins[match.upperBound - 1]
                for scalar in content { output.append(scalar, origin: origin) }
            }
            previous = match.upperBound
        }
        for index in previous..<text.count { output.append(text.scalars[index], origin: text.origins[index]) }
        text = output
    }
}
