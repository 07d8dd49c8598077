internal import CONNXRuntime

extension Value {
    /// The elements of a string tensor, in row-major order, as raw bytes (ONNX strings are UTF-8 by
    /// convention, but ORT does not check).
    /// - Throws: `.invalidArgument` when the value is not a string tensor; ORT's error when reading fails.
    public func strings() throws(ORTError) -> [[UInt8]] {
        guard kind == .tensor, elementType == .string else {
            let what = elementType.map { "a \($0) tensor" } ?? "a \(kind.rawValue)"
            throw ORTError(code: .invalidArgument, message: "output '\(name)' is \(what), not a string tensor")
        }
        if elementCount == 0 { return [] }
        let api = library.api
        var total = 0
        try library.check(api.pointee.GetStringTensorDataLength(handle, &total))
        var offsets = [Int](repeating: 0, count: elementCount)
        var content = [UInt8](repeating: 0, count: max(total, 1))
        try library.check(
            content.withUnsafeMutableBytes { bytes in
                offsets.withUnsafeMutableBufferPointer { offsets in
                    api.pointee.GetStringTensorContent(
                        handle, bytes.baseAddress, total, offsets.baseAddress, offsets.count)
                }
            }
        )
        var result: [[UInt8]] = []
        result.reserveCapacity(elementCount)
        for index in 0..<elementCount {
            let start = offsets[index]
            let end = index + 1 < elementCount ? offsets[index + 1] : total
            guard start <= end, end <= total else {
                throw ORTError(code: .fail, message: "GetStringTensorContent gave offsets out of order for '\(name)'")
            }
            result.append(Array(content[start..<end]))
        }
        return result
    }
}
