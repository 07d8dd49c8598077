import ONNXRuntime

/// The 2x8 MiniLM batch the tests run, and what Python onnxruntime 1.31.1 computes for it.
///
/// The expected numbers were produced by `scripts/onnxruntime-reference-values.py` (run from the repository root as
/// `.venv/bin/python scripts/onnxruntime-reference-values.py`), which builds the same inputs with numpy and runs
/// both models with `onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])`.
enum ReferenceValues {
    /// Row 0 is padded (its last two positions are masked out); row 1 fills all eight positions.
    static let inputIDs: [Int64] = [
        101, 7592, 1010, 2088, 999, 102, 0, 0,
        101, 1996, 4248, 2829, 4419, 14523, 2058, 102,
    ]
    static let attentionMask: [Int64] = [
        1, 1, 1, 1, 1, 1, 0, 0,
        1, 1, 1, 1, 1, 1, 1, 1,
    ]
    static let tokenTypeIDs = [Int64](repeating: 0, count: 16)
    static let shape = [2, 8]
    static let hiddenSize = 384

    struct Probe: Sendable {
        let batch: Int
        let position: Int
        let hidden: Int
        let value: Float

        /// Index into the flat [2, 8, 384] output.
        var flatIndex: Int { (batch * 8 + position) * ReferenceValues.hiddenSize + hidden }
    }

    /// last_hidden_state of models/all-MiniLM-L6-v2/onnx/model.onnx.
    static let fp32Probes = [
        Probe(batch: 0, position: 0, hidden: 0, value: 0.09704563021659851),
        Probe(batch: 0, position: 0, hidden: 1, value: 0.044667601585388184),
        Probe(batch: 0, position: 5, hidden: 383, value: -0.610790491104126),
        Probe(batch: 0, position: 7, hidden: 10, value: -0.023862164467573166),
        Probe(batch: 1, position: 3, hidden: 100, value: -0.23623447120189667),
        Probe(batch: 1, position: 7, hidden: 200, value: 0.05777246505022049),
    ]
    /// Sum of all 2 * 8 * 384 values of that output, accumulated in Double.
    static let fp32Sum = 37.065909384603444

    /// last_hidden_state of models/all-MiniLM-L6-v2-int8/model.onnx.
    static let int8Probes = [
        Probe(batch: 0, position: 0, hidden: 0, value: 0.08818010985851288),
        Probe(batch: 0, position: 0, hidden: 1, value: 0.05152636393904686),
        Probe(batch: 0, position: 5, hidden: 383, value: -0.5647944211959839),
        Probe(batch: 0, position: 7, hidden: 10, value: -0.04816044121980667),
        Probe(batch: 1, position: 3, hidden: 100, value: -0.2473800629377365),
        Probe(batch: 1, position: 7, hidden: 200, value: 0.024425815790891647),
    ]
    static let int8Sum = 36.45159827435111

    /// The three input tensors, filled.
    static func inputs(library: ORTLibrary) throws -> [String: Tensor] {
        [
            "input_ids": try Tensor(inputIDs, shape: shape, library: library),
            "attention_mask": try Tensor(attentionMask, shape: shape, library: library),
            "token_type_ids": try Tensor(tokenTypeIDs, shape: shape, library: library),
        ]
    }
}
