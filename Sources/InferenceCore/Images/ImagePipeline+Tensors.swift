import Foundation
import Imaging

/// An image model as KServe v2 sees it: one BYTES input of encoded images (JPEG, PNG, WebP; one element per
/// image), decoded and preprocessed by the same code as `/predict`, and float outputs of the post-processed
/// answers, so clients send the file as Triton's image examples do and never re-implement the preprocessing.
extension ImagePipeline {
    /// The input's name.
    public static let imageInput = "image"

    /// `image`: BYTES `[-1]`.
    public var tensorInputs: [TensorSpec] { [TensorSpec(name: Self.imageInput, datatype: .bytes, shape: [-1])] }

    /// Per task: `depth` FP32 `[-1,-1,-1]` (the maps at the images' size, so the images of a request must share
    /// one); `probabilities` FP32 `[-1,classes]` (after the activation, in class order) and `labels` BYTES
    /// `[-1,top_k]`; `embedding` FP32 `[-1,width]`.
    public var tensorOutputs: [TensorSpec] {
        switch spec.task {
        case .depth: [TensorSpec(name: "depth", datatype: .fp32, shape: [-1, -1, -1])]
        case .classify:
            [
                TensorSpec(name: "probabilities", datatype: .fp32, shape: [-1, output.shape.last ?? -1]),
                TensorSpec(name: "labels", datatype: .bytes, shape: [-1, -1]),
            ]
        case .embed: [TensorSpec(name: "embedding", datatype: .fp32, shape: [-1, output.shape.last ?? -1])]
        }
    }

    /// Runs the images of `inputs` (the `image` tensor) and returns the requested outputs (all when `nil`).
    /// - Throws: `InferenceError` as ``predict(_:topK:deadline:)`` does, naming `image[i]`; `.validation` when
    ///   the depth maps of one request differ in size.
    public func infer(_ inputs: [HostTensor], outputs requested: [String]?, deadline: ContinuousClock.Instant?)
        async throws(InferenceError) -> RawInferenceResult
    {
        guard inputs.count == 1, let input = inputs.first, input.name == Self.imageInput,
            case .strings(let images) = input.contents
        else {
            throw InferenceError(
                .validation, code: "invalid_input",
                message: "model '\(name)' takes one BYTES input '\(Self.imageInput)' of encoded images",
                parameter: Self.imageInput)
        }
        let classCount = spec.task == .classify ? output.shape.last.flatMap { $0 > 0 ? $0 : nil } : nil
        // JSON carries BYTES elements as text, so clients that cannot send binary data send base64 (or a data
        // URI): an element that is no image but decodes from base64 is taken decoded.
        let decoded = images.map { element -> [UInt8] in
            let isImage = element.withUnsafeBytes { ImageFormat.sniff($0) != nil }
            guard !isImage, let text = String(validating: element, as: UTF8.self) else { return element }
            let payload = text.hasPrefix("data:") ? String(text[(text.firstIndex(of: ",").map(text.index(after:)) ?? text.endIndex)...]) : text
            return Data(base64Encoded: payload, options: .ignoreUnknownCharacters).map { [UInt8]($0) } ?? element
        }
        let result = try await predict(decoded, topK: spec.task == .classify ? Int.max : nil, deadline: deadline)
        let names = requested ?? tensorOutputs.map(\.name)
        var tensors: [HostTensor] = []
        for name in names {
            tensors.append(try tensor(name, result.predictions, classes: classCount))
        }
        return RawInferenceResult(outputs: tensors, timings: result.timings)
    }

    private func tensor(_ name: String, _ predictions: [ImagePrediction], classes: Int?) throws(InferenceError)
        -> HostTensor
    {
        let count = predictions.count
        switch name {
        case "depth":
            let maps = predictions.compactMap { if case .dense(let map) = $0 { map } else { nil } }
            guard let first = maps.first,
                maps.allSatisfy({ $0.width == first.width && $0.height == first.height })
            else {
                throw InferenceError(
                    .validation, code: "invalid_input",
                    message: "the images of one request must have one size for the 'depth' output; send them apart",
                    parameter: Self.imageInput)
            }
            return HostTensor.fp32(name, shape: [count, first.height, first.width], maps.lazy.map(\.values))
        case "probabilities":
            let rows = predictions.map { prediction -> [Float] in
                guard case .labels(let labels) = prediction else { return [] }
                var row = [Float](repeating: 0, count: classes ?? labels.count)
                for label in labels where label.index < row.count { row[label.index] = label.score }
                return row
            }
            return HostTensor.fp32(name, shape: [count, rows.first?.count ?? 0], rows)
        case "labels":
            let k = spec.classify.topK
            var strings: [[UInt8]] = []
            var width = Int.max
            for prediction in predictions {
                guard case .labels(let labels) = prediction else { continue }
                width = min(width, min(k, labels.count))
            }
            if width == .max { width = 0 }
            for prediction in predictions {
                guard case .labels(let labels) = prediction else { continue }
                strings += labels.prefix(width).map { Array($0.label.utf8) }
            }
            return HostTensor(name: name, datatype: .bytes, shape: [count, width], contents: .strings(strings))
        default:
            let vectors = predictions.map { prediction -> [Float] in
                if case .embedding(let vector) = prediction { return vector }
                return []
            }
            return HostTensor.fp32(name, shape: [count, vectors.first?.count ?? 0], vectors)
        }
    }
}
