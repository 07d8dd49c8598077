import InferenceCore

/// One entry of a request's `inputs` as the JSON header gives it, before its data is decoded.
struct InputHeader {
    var name: String
    var datatype: String?
    var shape: [Int]?
    /// `parameters.binary_data_size`: the input's data follows the JSON header.
    var binaryDataSize: Int?
    /// Where its JSON `data` lies in the header.
    var data: Range<Int>?
}

extension InputHeader {
    /// Reads one `inputs` entry.
    static func read(_ reader: inout JSONByteReader, position: Int) throws(KServeError) -> InputHeader {
        var name: String?
        var header = InputHeader(name: "")
        try reader.beginObject()
        var members = 0
        while let key = try reader.nextKey(&members) {
            switch key {
            case "name": name = try reader.readString()
            case "datatype": header.datatype = try reader.readString()
            case "shape": header.shape = try readShape(&reader)
            case "data": header.data = try reader.skipValue()
            case "parameters": header.binaryDataSize = try readParameters(&reader)
            default: try reader.skipValue()
            }
        }
        guard let name else { throw .badRequest("inputs[\(position)] has no 'name'") }
        header.name = name
        return header
    }

    private static func readShape(_ reader: inout JSONByteReader) throws(KServeError) -> [Int] {
        var shape: [Int] = []
        try reader.beginArray()
        var count = 0
        while try reader.nextElement(&count) {
            shape.append(try reader.readInt())
        }
        return shape
    }

    /// `binary_data_size` when given; other parameters are ignored.
    private static func readParameters(_ reader: inout JSONByteReader) throws(KServeError) -> Int? {
        var size: Int?
        try reader.beginObject()
        var members = 0
        while let key = try reader.nextKey(&members) {
            if key == "binary_data_size" { size = try reader.readInt() } else { try reader.skipValue() }
        }
        return size
    }
}

/// Checks one request input's header against the model's spec for it, before any of its data is read.
struct InputValidation {
    let model: String
    let spec: TensorSpec

    /// The input's datatype, concrete shape and element count, or a 400 naming it.
    func check(_ header: InputHeader) throws(KServeError) -> (TensorDatatype, [Int], Int) {
        guard let name = header.datatype else { throw .badRequest("input '\(spec.name)' has no 'datatype'") }
        guard let datatype = TensorDatatype(rawValue: name) else {
            throw .badRequest("input '\(spec.name)' has datatype '\(name)', which is not a v2 datatype Tern serves")
        }
        guard let shape = header.shape else { throw .badRequest("input '\(spec.name)' has no 'shape'") }
        do {
            return (datatype, shape, try spec.validate(datatype: datatype, shape: shape, model: model))
        } catch {
            throw .badRequest(error.message)
        }
    }
}
