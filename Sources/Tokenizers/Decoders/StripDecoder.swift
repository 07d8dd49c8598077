/// `Strip` decoder: removes up to `start` leading and `stop` trailing occurrences of one character per token.
struct StripDecoder: TokenDecoder {
    let content: Unicode.Scalar
    let start: Int
    let stop: Int

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { token in
            let scalars = Array(token.unicodeScalars)
            var startCut = 0
            while startCut < min(start, scalars.count), scalars[startCut] == content { startCut += 1 }
            var stopCut = scalars.count
            while scalars.count - stopCut < stop, stopCut > startCut, scalars[stopCut - 1] == content {
                stopCut -= 1
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[startCut..<stopCut])
            return String(view)
        }
    }
}
