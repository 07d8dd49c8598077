import Foundation
import InferenceCore
import NIOCore

@testable import TernServer

/// Builds request bodies and runs them through the v2 decoder against a signature.
enum KServeTestSupport {
    /// `identity_<type>`-like: INPUT0 -> OUTPUT0, shape [-1, 3].
    static func identity(_ datatype: TensorDatatype) -> ModelSignature {
        ModelSignature(
            name: "identity_\(datatype.rawValue.lowercased())",
            inputs: [TensorSpec(name: "INPUT0", datatype: datatype, shape: [-1, 3])],
            outputs: [TensorSpec(name: "OUTPUT0", datatype: datatype, shape: [-1, 3])])
    }

    /// `add_sub`: a, b -> sum, diff, FP32 [-1, 4].
    static let addSub = ModelSignature(
        name: "add_sub",
        inputs: [
            TensorSpec(name: "a", datatype: .fp32, shape: [-1, 4]), TensorSpec(name: "b", datatype: .fp32, shape: [-1, 4]),
        ],
        outputs: [
            TensorSpec(name: "sum", datatype: .fp32, shape: [-1, 4]),
            TensorSpec(name: "diff", datatype: .fp32, shape: [-1, 4]),
        ])

    static func decode(_ json: String, binary: [UInt8]? = nil, headerLength: Int? = nil, model: ModelSignature)
        throws(KServeError) -> InferRequest
    {
        var body = Array(json.utf8)
        var length = headerLength
        if let binary {
            length = length ?? body.count
            body += binary
        }
        let decoder = InferRequestDecoder(model: model)
        let finalLength = length
        do {
            return try body.withUnsafeBytes { bytes in try decoder.decode(bytes, headerLength: finalLength) }
        } catch let error as KServeError {
            throw error
        } catch {
            throw KServeError(.internalServerError, "\(error)")
        }
    }

    /// The message of the 400 that decoding `json` fails with.
    static func failure(_ json: String, binary: [UInt8]? = nil, headerLength: Int? = nil, model: ModelSignature) -> String? {
        do {
            _ = try decode(json, binary: binary, headerLength: headerLength, model: model)
            return nil
        } catch {
            return error.status == .badRequest ? error.message : "status \(error.status.code): \(error.message)"
        }
    }

    static func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    }

    static func framed(_ strings: [[UInt8]]) -> [UInt8] {
        strings.flatMap { littleEndianBytes([UInt32($0.count)]) + $0 }
    }
}
