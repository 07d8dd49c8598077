/// `BertPreTokenizer`: splits on whitespace (dropped) and makes every punctuation character its own word.
struct BertPreTokenizer: PreTokenizer {
    private enum ScalarClass: UInt8 {
        case word, whitespace, punctuation
    }

    private let asciiClasses: [ScalarClass]

    init() {
        let tables = UnicodeTables.shared
        asciiClasses = (UInt32(0)..<128).map { Self.classify(tables.properties($0)) }
    }

    @inline(__always)
    private static func classify(_ properties: ScalarProperties) -> ScalarClass {
        if properties.contains(.whitespace) { return .whitespace }
        if properties.contains(.punctuation) { return .punctuation }
        return .word
    }

    func preTokenize(_ text: inout PreTokenizedText) {
        let tables = UnicodeTables.shared
        // Words never outnumber scalars, so the output can be written without growth checks.
        var words = [Range<Int>](repeating: 0..<0, count: text.words.reduce(0) { $0 + $1.count })
        let count = text.text.scalars.withUnsafeBufferPointer { scalars in
            asciiClasses.withUnsafeBufferPointer { ascii in
                words.withUnsafeMutableBufferPointer { words in
                    var count = 0
                    for piece in text.words {
                        var wordStart = -1
                        for index in piece {
                            let scalar = scalars[index]
                            let scalarClass =
                                scalar < 0x80 ? ascii[Int(scalar)] : Self.classify(tables.properties(scalar))
                            if scalarClass == .word {
                                if wordStart < 0 { wordStart = index }
                                continue
                            }
                            if wordStart >= 0 {
                                words[count] = wordStart..<index
                                count += 1
                                wordStart = -1
                            }
                            if scalarClass == .punctuation {
                                words[count] = index..<index + 1
                                count += 1
                            }
                        }
                        if wordStart >= 0 {
                            words[count] = wordStart..<piece.upperBound
                            count += 1
                        }
                    }
                    return count
                }
            }
        }
        words.removeSubrange(count...)
        text.words = words
    }
}
