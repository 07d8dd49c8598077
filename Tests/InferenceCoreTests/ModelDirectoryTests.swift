import Foundation
import TernTestSupport
import Testing

@testable import InferenceCore

@Suite struct ModelDirectoryTests {
    /// A scratch copy of the demo model's small files (the ONNX file is linked, not copied).
    private func scratchModel() throws -> URL {
        let source = try RepositoryPaths.model()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tern-model-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: scratch.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        for file in ["config.json", "tokenizer.json", "modules.json", "sentence_bert_config.json", "1_Pooling/config.json"] {
            try fm.copyItem(at: source.appendingPathComponent(file), to: scratch.appendingPathComponent(file))
        }
        try fm.createSymbolicLink(at: scratch.appendingPathComponent("onnx"), withDestinationURL: source.appendingPathComponent("onnx"))
        return scratch
    }

    private func write(_ text: String, to file: String, in directory: URL) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(file))
    }

    private func loadError(_ directory: URL, weights: WeightsChoice = .auto) -> ModelLoadError? {
        do {
            _ = try ModelDirectory(url: directory, weights: weights)
            return nil
        } catch { return error }
    }

    @Test func readsTheDemoModel() throws {
        let directory = try ModelDirectory(url: RepositoryPaths.model())
        #expect(directory.weightsFile.path.hasSuffix("onnx/model.onnx"))
        #expect(directory.pooling == .mean)
        #expect(directory.normalize)
        #expect(directory.maxLength == 256)
        #expect(directory.hiddenSize == 384)
    }

    @Test func readsTheInt8ModelWithItsOnnxFileAtTheRoot() throws {
        let directory = try ModelDirectory(url: RepositoryPaths.model("all-MiniLM-L6-v2-int8"))
        #expect(directory.weightsFile.lastPathComponent == "model.onnx")
        #expect(directory.weightsFile.deletingLastPathComponent().lastPathComponent == "all-MiniLM-L6-v2-int8")
    }

    @Test func missingDirectoryIsNamed() {
        let error = loadError(URL(fileURLWithPath: "/nonexistent/model"))
        #expect(error?.description == "/nonexistent/model: no such directory")
    }

    @Test func missingTokenizerIsNamed() throws {
        let dir = try scratchModel()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("tokenizer.json"))
        #expect(loadError(dir)?.problem == "no tokenizer file (looked for tokenizer.json)")
    }

    @Test func missingOnnxFileListsWhereItLooked() throws {
        let dir = try scratchModel()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("onnx"))
        #expect(
            loadError(dir)?.problem
                == "no ONNX model file (looked for model.onnx, onnx/model.onnx) and no safetensors checkpoint "
                + "(model.safetensors, model.safetensors.index.json)")
    }

    @Test func weightsChoiceDecidesBetweenOnnxAndTheCheckpoint() throws {
        let dir = try scratchModel()
        let onnx = try ModelDirectory(url: dir)
        #expect(onnx.weights.format == "onnx")
        #expect(loadError(dir, weights: .safetensors)?.problem.hasPrefix("no safetensors checkpoint") == true)
        try Data([0]).write(to: dir.appendingPathComponent("model.safetensors"))
        #expect(try ModelDirectory(url: dir).weights.format == "onnx")
        let built = try ModelDirectory(url: dir, weights: .safetensors)
        #expect(built.weights.format == "safetensors")
        #expect(built.weightsFile.lastPathComponent == "model.safetensors")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("onnx"))
        #expect(try ModelDirectory(url: dir).weights.format == "safetensors")
        #expect(loadError(dir, weights: .onnx)?.problem == "no ONNX model file (looked for model.onnx, onnx/model.onnx)")
    }

    @Test func malformedConfigIsNamed() throws {
        let dir = try scratchModel()
        try write("{not json", to: "config.json", in: dir)
        let error = try #require(loadError(dir))
        #expect(error.path.hasSuffix("/config.json"))
        #expect(error.problem == "malformed JSON")
    }

    @Test func missingConfigIsNamed() throws {
        let dir = try scratchModel()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("config.json"))
        let error = try #require(loadError(dir))
        #expect(error.path.hasSuffix("/config.json"))
        #expect(error.problem == "missing")
    }

    @Test func wrongFieldTypeIsNamed() throws {
        let dir = try scratchModel()
        try write(#"{"max_seq_length": "long"}"#, to: "sentence_bert_config.json", in: dir)
        #expect(loadError(dir)?.problem == "'max_seq_length' must be an integer")
    }

    @Test(arguments: [
        ("pooling_mode_cls_token", PoolingStrategy.cls),
        ("pooling_mode_max_tokens", PoolingStrategy.max),
        ("pooling_mode_mean_tokens", PoolingStrategy.mean),
        ("pooling_mode_lasttoken", PoolingStrategy.lasttoken),
        ("pooling_mode_mean_sqrt_len_tokens", PoolingStrategy.meanSqrtLength),
    ])
    func poolingModeComesFromThePoolingConfig(key: String, expected: PoolingStrategy) throws {
        let dir = try scratchModel()
        try write(#"{"word_embedding_dimension": 384, "\#(key)": true}"#, to: "1_Pooling/config.json", in: dir)
        #expect(try ModelDirectory(url: dir).pooling == expected)
    }

    @Test func unsupportedPoolingIsRefusedByName() throws {
        let dir = try scratchModel()
        try write(#"{"pooling_mode_weightedmean_tokens": true}"#, to: "1_Pooling/config.json", in: dir)
        #expect(
            loadError(dir)?.problem
                == "pooling pooling_mode_weightedmean_tokens is not supported (supported: one of mean, cls, max, lasttoken, mean_sqrt_len)")
    }

    @Test func poolingThatLeavesThePromptOutIsRefused() throws {
        let dir = try scratchModel()
        try write(#"{"pooling_mode_mean_tokens": true, "include_prompt": false}"#, to: "1_Pooling/config.json", in: dir)
        #expect(loadError(dir)?.problem == "include_prompt: false is not supported (prompt tokens are always pooled)")
    }

    @Test func unsupportedModuleIsRefusedByName() throws {
        let dir = try scratchModel()
        try write(
            #"[{"type": "sentence_transformers.models.Transformer"}, {"type": "sentence_transformers.models.LayerNorm", "path": "2_LayerNorm"}]"#,
            to: "modules.json",
            in: dir
        )
        #expect(
            loadError(dir)?.problem
                == "module type 'sentence_transformers.models.LayerNorm' is not supported (supported: Transformer, Pooling, Dense, Normalize)")
    }

    @Test func withoutModulesThereIsNoNormalisation() throws {
        let dir = try scratchModel()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("modules.json"))
        let directory = try ModelDirectory(url: dir)
        #expect(!directory.normalize)
        #expect(directory.pooling == .mean)
    }

    @Test func maxLengthFallsBackToThePositionLimit() throws {
        let dir = try scratchModel()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("sentence_bert_config.json"))
        #expect(try ModelDirectory(url: dir).maxLength == 512)
    }
}
