internal import CONNXRuntime

extension ORTLibrary {
    /// Reads the element type and dimensions out of an `OrtTensorTypeAndShapeInfo` (dynamic dimensions are -1).
    func elementTypeAndShape(of info: OpaquePointer) throws(ORTError) -> (ElementType, [Int]) {
        var type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED
        try check(api.pointee.GetTensorElementType(info, &type))
        var rank = 0
        try check(api.pointee.GetDimensionsCount(info, &rank))
        var dimensions = [Int64](repeating: 0, count: rank)
        let status = dimensions.withUnsafeMutableBufferPointer {
            api.pointee.GetDimensions(info, $0.baseAddress, rank)
        }
        try check(status)
        return (ElementType(type), dimensions.map { Int($0) })
    }
}
