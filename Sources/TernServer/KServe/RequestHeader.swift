/// The JSON header of an infer request, read member by member; input data is located, not decoded.
struct RequestHeader {
    /// One entry of `outputs`.
    struct Output {
        var name: String
        /// `parameters.binary_data`, when given.
        var binary: Bool?
    }

    var id: String?
    var inputs: [InputHeader] = []
    /// nil when the request lists no outputs (all are returned).
    var outputs: [Output]?
    /// `parameters.binary_data_output`: the default for outputs that do not say.
    var binaryDataOutput = false

    static func read(_ reader: inout JSONByteReader) throws(KServeError) -> RequestHeader {
        var header = RequestHeader()
        var sawInputs = false
        try reader.beginObject()
        var members = 0
        while let key = try reader.nextKey(&members) {
            switch key {
            case "id":
                header.id = try reader.readString()
            case "inputs":
                sawInputs = true
                try reader.beginArray()
                var count = 0
                while try reader.nextElement(&count) {
                    header.inputs.append(try InputHeader.read(&reader, position: count - 1))
                }
            case "outputs":
                var outputs: [Output] = []
                try reader.beginArray()
                var count = 0
                while try reader.nextElement(&count) {
                    outputs.append(try readOutput(&reader, position: count - 1))
                }
                header.outputs = outputs
            case "parameters":
                try readParameters(&reader) { (reader, key) throws(KServeError) in
                    if key == "binary_data_output" { header.binaryDataOutput = try reader.readBool() } else { try reader.skipValue() }
                }
            default:
                try reader.skipValue()
            }
        }
        guard sawInputs else { throw .badRequest("the request has no 'inputs'") }
        return header
    }

    private static func readOutput(_ reader: inout JSONByteReader, position: Int) throws(KServeError) -> Output {
        var name: String?
        var binary: Bool?
        try reader.beginObject()
        var members = 0
        while let key = try reader.nextKey(&members) {
            switch key {
            case "name":
                name = try reader.readString()
            case "parameters":
                try readParameters(&reader) { (reader, key) throws(KServeError) in
                    switch key {
                    case "binary_data": binary = try reader.readBool()
                    case "classification":
                        throw .badRequest("outputs[\(position)]: the classification extension is not supported")
                    case "shared_memory_region":
                        throw .badRequest("outputs[\(position)]: shared memory is not supported")
                    default: try reader.skipValue()
                    }
                }
            default:
                try reader.skipValue()
            }
        }
        guard let name else { throw .badRequest("outputs[\(position)] has no 'name'") }
        return Output(name: name, binary: binary)
    }

    private static func readParameters(
        _ reader: inout JSONByteReader,
        _ member: (inout JSONByteReader, String) throws(KServeError) -> Void
    ) throws(KServeError) {
        try reader.beginObject()
        var members = 0
        while let key = try reader.nextKey(&members) { try member(&reader, key) }
    }
}
