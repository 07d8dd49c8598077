internal import CONNXRuntime

extension Session {
    enum Side {
        case input
        case output
    }

    /// Reads the name, kind, element type and shape of every input or output of a session.
    static func describe(_ side: Side, of session: OpaquePointer, library: ORTLibrary) throws(ORTError) -> [ValueInfo] {
        let api = library.api
        var count = 0
        switch side {
        case .input: try library.check(api.pointee.SessionGetInputCount(session, &count))
        case .output: try library.check(api.pointee.SessionGetOutputCount(session, &count))
        }
        var allocator: OpaquePointer?
        try library.check(api.pointee.GetAllocatorWithDefaultOptions(&allocator))
        guard let allocator else {
            throw ORTError(code: .fail, message: "GetAllocatorWithDefaultOptions returned no allocator")
        }
        var result: [ValueInfo] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let name = try Self.name(side, at: index, of: session, allocator: allocator, library: library)
            var typeInfo: OpaquePointer?
            switch side {
            case .input: try library.check(api.pointee.SessionGetInputTypeInfo(session, index, &typeInfo))
            case .output: try library.check(api.pointee.SessionGetOutputTypeInfo(session, index, &typeInfo))
            }
            guard let typeInfo else {
                throw ORTError(code: .fail, message: "no type information for \(side) '\(name)'")
            }
            defer { api.pointee.ReleaseTypeInfo(typeInfo) }
            result.append(try Self.valueInfo(name: name, typeInfo: typeInfo, library: library))
        }
        return result
    }

    /// Copies one input or output name into a Swift string and frees ORT's copy.
    private static func name(
        _ side: Side,
        at index: Int,
        of session: OpaquePointer,
        allocator: OpaquePointer,
        library: ORTLibrary
    ) throws(ORTError) -> String {
        var name: UnsafeMutablePointer<CChar>?
        switch side {
        case .input: try library.check(library.api.pointee.SessionGetInputName(session, index, allocator, &name))
        case .output: try library.check(library.api.pointee.SessionGetOutputName(session, index, allocator, &name))
        }
        guard let name else {
            throw ORTError(code: .fail, message: "no name for \(side) \(index)")
        }
        let result = String(cString: name)
        try library.check(library.api.pointee.AllocatorFree(allocator, name))
        return result
    }

    /// Builds a ``ValueInfo`` from an `OrtTypeInfo` (borrowed, not released here).
    private static func valueInfo(name: String, typeInfo: OpaquePointer, library: ORTLibrary) throws(ORTError)
        -> ValueInfo
    {
        var onnxType = ONNX_TYPE_UNKNOWN
        try library.check(library.api.pointee.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType))
        let kind = ValueKind(onnxType)
        guard kind == .tensor else {
            return ValueInfo(name: name, kind: kind, elementType: nil, shape: [])
        }
        // Borrowed from typeInfo: valid until typeInfo is released, and must not be released itself.
        var tensorInfo: OpaquePointer?
        try library.check(library.api.pointee.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo))
        guard let tensorInfo else {
            return ValueInfo(name: name, kind: kind, elementType: nil, shape: [])
        }
        let (elementType, shape) = try library.elementTypeAndShape(of: tensorInfo)
        return ValueInfo(name: name, kind: kind, elementType: elementType, shape: shape)
    }
}
