internal import CONNXRuntime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Session {
    /// Initializers smaller than this are copied into ONNX Runtime's memory: the Model Editor API requires lent
    /// (external) tensors to hold at least 128 bytes, since shape inference cannot read external data.
    static let smallestLentInitializer = 128

    /// Builds `graph` with ONNX Runtime's Model Editor API and creates a session from it: no ONNX file, and
    /// borrowed initializers are read in place (their owners live as long as the session).
    /// - Throws: `.notImplemented` for a library without the Model Editor API, `.invalidArgument` for an
    ///   initializer whose bytes do not match its shape, or ONNX Runtime's error validating the graph.
    public convenience init(graph: ModelGraph, environment: Environment, options: SessionOptions = SessionOptions())
        throws(ORTError)
    {
        let library = environment.library
        let (api, editor) = try library.modelEditorAPI()
        var built = GraphHandles(api: api)
        defer { built.release() }
        try built.make(graph, editor: editor, library: library)
        let model = built.model!
        let created = try Self.create(options: options, environment: environment) { (native) throws(ORTError) in
            var created: OpaquePointer?
            try library.check(editor.pointee.CreateSessionFromModel(environment.handle, model, native.handle, &created))
            guard let handle = created else {
                throw ORTError(code: .fail, message: "CreateSessionFromModel returned no session for \(graph.name)")
            }
            return handle
        }
        var owners: [any Sendable & AnyObject] = []
        for initializer in graph.initializers {
            if case .borrowed(let lent) = initializer.contents, !owners.contains(where: { $0 === lent.owner }) {
                owners.append(lent.owner)
            }
        }
        try self.init(created: created, name: graph.name, environment: environment, options: options, lentMemory: owners)
    }
}

/// The ORT objects made while building one model, released in one place whatever step fails. Ownership moves to
/// ORT as the API documents (value infos to the graph on SetGraphInputs/Outputs, initializers and nodes on Add,
/// the graph to the model on AddGraphToModel); whatever is still held here is released afterwards.
private struct GraphHandles {
    let api: UnsafePointer<OrtApi>
    var graph: OpaquePointer?
    var model: OpaquePointer?

    init(api: UnsafePointer<OrtApi>) {
        self.api = api
    }

    mutating func release() {
        if let graph { api.pointee.ReleaseGraph(graph) }
        if let model { api.pointee.ReleaseModel(model) }
        graph = nil
        model = nil
    }

    private func check(_ status: OpaquePointer?, _ what: @autoclosure () -> String) throws(ORTError) {
        guard let status else { return }
        let error = ORTError(consuming: status, api: api)
        throw ORTError(code: error.code, message: "\(what()): \(error.message)")
    }

    mutating func make(
        _ graph: ModelGraph, editor: UnsafePointer<OrtModelEditorApi>, library: ORTLibrary
    ) throws(ORTError) {
        let editor = editor.pointee
        var created: OpaquePointer?
        try check(editor.CreateGraph(&created), "CreateGraph")
        guard let handle = created else { throw ORTError(code: .fail, message: "CreateGraph returned no graph") }
        self.graph = handle

        var inputs = try graph.inputs.map { (value) throws(ORTError) in try valueInfo(value, editor: editor) }
        let inputStatus = inputs.withUnsafeMutableBufferPointer { editor.SetGraphInputs(handle, $0.baseAddress!, $0.count) }
        // On success ORT owns them and nulls the slots; on failure nothing moved, so release what is left.
        defer { for info in inputs { if let info { api.pointee.ReleaseValueInfo(info) } } }
        try check(inputStatus, "\(graph.name): graph inputs")
        var outputs = try graph.outputs.map { (value) throws(ORTError) in try valueInfo(value, editor: editor) }
        let outputStatus = outputs.withUnsafeMutableBufferPointer {
            editor.SetGraphOutputs(handle, $0.baseAddress!, $0.count)
        }
        defer { for info in outputs { if let info { api.pointee.ReleaseValueInfo(info) } } }
        try check(outputStatus, "\(graph.name): graph outputs")

        for initializer in graph.initializers {
            try add(initializer, to: handle, editor: editor, library: library)
        }
        for node in graph.nodes {
            try add(node, to: handle, editor: editor)
        }

        let domains = graph.opsets.keys.sorted()
        let versions = domains.map { Int32(graph.opsets[$0]!) }
        let names = CStringArray(domains)
        var model: OpaquePointer?
        try check(
            versions.withUnsafeBufferPointer { editor.CreateModel(names.baseAddress!, $0.baseAddress!, $0.count, &model) },
            "CreateModel")
        guard let model else { throw ORTError(code: .fail, message: "CreateModel returned no model") }
        self.model = model
        try check(editor.AddGraphToModel(model, handle), "AddGraphToModel")
        self.graph = nil  // The model owns it now.
    }

    private func valueInfo(_ value: ModelGraph.Value, editor: OrtModelEditorApi) throws(ORTError) -> OpaquePointer? {
        var tensorInfo: OpaquePointer?
        try check(api.pointee.CreateTensorTypeAndShapeInfo(&tensorInfo), "CreateTensorTypeAndShapeInfo")
        guard let tensorInfo else { throw ORTError(code: .fail, message: "no tensor type info for \(value.name)") }
        defer { api.pointee.ReleaseTensorTypeAndShapeInfo(tensorInfo) }
        try check(api.pointee.SetTensorElementType(tensorInfo, value.elementType.ortValue), value.name)
        let dimensions = value.shape.map { dimension -> Int64 in
            if case .fixed(let size) = dimension { Int64(size) } else { -1 }
        }
        try check(
            dimensions.withUnsafeBufferPointer { api.pointee.SetDimensions(tensorInfo, $0.baseAddress, $0.count) },
            value.name)
        let symbols = CStringArray(value.shape.map { dimension in
            if case .named(let name) = dimension { name } else { "" }
        })
        if symbols.count > 0 {
            try check(
                api.pointee.SetSymbolicDimensions(
                    tensorInfo, UnsafeMutablePointer(mutating: symbols.baseAddress!), symbols.count),
                value.name)
        }
        var typeInfo: OpaquePointer?
        try check(editor.CreateTensorTypeInfo(tensorInfo, &typeInfo), value.name)
        guard let typeInfo else { throw ORTError(code: .fail, message: "no type info for \(value.name)") }
        defer { api.pointee.ReleaseTypeInfo(typeInfo) }
        var info: OpaquePointer?
        try check(editor.CreateValueInfo(value.name, typeInfo, &info), value.name)
        return info
    }

    private func add(
        _ initializer: ModelGraph.Initializer, to graph: OpaquePointer, editor: OrtModelEditorApi, library: ORTLibrary
    ) throws(ORTError) {
        let name = initializer.name
        let bytes = initializer.byteCount
        guard initializer.elementType.byteWidth != nil else {
            throw ORTError(code: .invalidArgument, message: "initializer '\(name)': \(initializer.elementType) has no fixed width")
        }
        let dimensions = initializer.shape.map { Int64($0) }
        var value: OpaquePointer?
        var external = false
        switch initializer.contents {
        case .borrowed(let lent):
            let buffer = lent.buffer
            guard buffer.count == bytes else {
                throw ORTError(
                    code: .invalidArgument,
                    message: "initializer '\(name)': \(buffer.count) bytes for shape \(initializer.shape) of \(initializer.elementType)")
            }
            let aligned = Int(bitPattern: buffer.baseAddress) % (initializer.elementType.byteWidth ?? 1) == 0
            if bytes >= Session.smallestLentInitializer, aligned, let base = buffer.baseAddress {
                // ORT reads lent data in place and never writes it; the API takes a mutable pointer regardless.
                try check(
                    dimensions.withUnsafeBufferPointer {
                        api.pointee.CreateTensorWithDataAsOrtValue(
                            library.cpuMemoryInfo, UnsafeMutableRawPointer(mutating: base), bytes, $0.baseAddress,
                            $0.count, initializer.elementType.ortValue, &value)
                    }, name)
                external = true
            } else {
                value = try allocated(initializer, dimensions: dimensions) { $0.copyMemory(from: buffer) }
            }
        case .written(let write):
            value = try allocated(initializer, dimensions: dimensions, write)
        }
        guard let value else { throw ORTError(code: .fail, message: "no tensor for initializer '\(name)'") }
        let status = editor.AddInitializerToGraph(graph, name, value, external)
        if status != nil { api.pointee.ReleaseValue(value) }
        try check(status, "initializer '\(name)'")
    }

    /// A tensor in ORT's own memory, filled by `write`.
    private func allocated(
        _ initializer: ModelGraph.Initializer, dimensions: [Int64], _ write: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(ORTError) -> OpaquePointer? {
        var allocator: OpaquePointer?
        try check(api.pointee.GetAllocatorWithDefaultOptions(&allocator), "GetAllocatorWithDefaultOptions")
        var value: OpaquePointer?
        try check(
            dimensions.withUnsafeBufferPointer {
                api.pointee.CreateTensorAsOrtValue(
                    allocator!, $0.baseAddress, $0.count, initializer.elementType.ortValue, &value)
            }, initializer.name)
        guard let value else { return nil }
        var data: UnsafeMutableRawPointer?
        let status = api.pointee.GetTensorMutableData(value, &data)
        if status != nil { api.pointee.ReleaseValue(value) }
        try check(status, initializer.name)
        if let data, initializer.byteCount > 0 {
            write(UnsafeMutableRawBufferPointer(start: data, count: initializer.byteCount))
        }
        return value
    }

    private func add(_ node: ModelGraph.Node, to graph: OpaquePointer, editor: OrtModelEditorApi) throws(ORTError) {
        var attributes: [OpaquePointer?] = []
        defer { for attribute in attributes { api.pointee.ReleaseOpAttr(attribute) } }
        for attribute in node.attributes {
            var made: OpaquePointer?
            let status: OpaquePointer?
            switch attribute {
            case .int(let name, let value):
                var v = Int64(value)
                status = api.pointee.CreateOpAttr(name, &v, 1, ORT_OP_ATTR_INT, &made)
            case .ints(let name, let values):
                let v = values.map { Int64($0) }
                status = v.withUnsafeBufferPointer {
                    api.pointee.CreateOpAttr(name, $0.baseAddress!, Int32($0.count), ORT_OP_ATTR_INTS, &made)
                }
            case .float(let name, let value):
                var v = value
                status = api.pointee.CreateOpAttr(name, &v, 1, ORT_OP_ATTR_FLOAT, &made)
            case .floats(let name, let values):
                status = values.withUnsafeBufferPointer {
                    api.pointee.CreateOpAttr(name, $0.baseAddress!, Int32($0.count), ORT_OP_ATTR_FLOATS, &made)
                }
            case .string(let name, let value):
                status = value.withCString { text in
                    api.pointee.CreateOpAttr(name, text, Int32(strlen(text)), ORT_OP_ATTR_STRING, &made)
                }
            }
            try check(status, "node \(node.name): attribute \(attribute.name)")
            attributes.append(made)
        }
        let inputs = CStringArray(node.inputs)
        let outputs = CStringArray(node.outputs)
        var created: OpaquePointer?
        let status = attributes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: OpaquePointer.self) { rebound in
                editor.CreateNode(
                    node.op, node.domain, node.name, inputs.baseAddress, inputs.count, outputs.baseAddress,
                    outputs.count, rebound.baseAddress, rebound.count, &created)
            }
        }
        try check(status, "node \(node.name) (\(node.op))")
        guard let created else { throw ORTError(code: .fail, message: "CreateNode returned no node for \(node.name)") }
        let added = editor.AddNodeToGraph(graph, created)
        if added != nil { api.pointee.ReleaseNode(created) }
        try check(added, "node \(node.name) (\(node.op))")
    }
}
