import Foundation
import ONNXRuntime
import Testing

@testable import InferenceCore

@Suite struct ModelRepositoryTests {
    /// A scratch repository; `layout` maps relative paths to file contents.
    static func repository(_ layout: [String: String]) throws -> ModelRepository {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-repo-\(UUID().uuidString)")
        for (path, contents) in layout {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: file)
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return try ModelRepository(root: root)
    }

    @Test func namesAreValidatedSoNoPathEscapes() {
        for good in ["a", "add_sub", "model-1.v2", "A.B"] { #expect(ModelRepository.isValidName(good), "\(good)") }
        for bad in ["", ".", "..", "../etc", "a/b", "a b", "ü", "a\0b", "%2e%2e"] {
            #expect(!ModelRepository.isValidName(bad), "\(bad)")
        }
    }

    @Test func theHighestVersionIsServedAndOnlyValidDirectoriesAreModels() throws {
        let repository = try Self.repository([
            "m/1/model.onnx": "x", "m/2/model.onnx": "x", "m/10/model.onnx": "x", "m/010/model.onnx": "x",
            "m/latest/model.onnx": "x", "bad name/1/model.onnx": "x", "n/3/onnx/model.onnx": "x", "file.txt": "x",
        ])
        #expect(repository.modelNames() == ["m", "n"])
        let model = try repository.model(named: "m")
        #expect(model.version == "10")
        #expect(model.modelFile.path.hasSuffix("m/10/model.onnx"))
        #expect(model.task == .raw)
        #expect(try repository.model(named: "n").modelFile.path.hasSuffix("n/3/onnx/model.onnx"))
        #expect(!repository.contains("../m"))
        #expect(throws: ModelLoadError.self) { try repository.model(named: "..") }
        #expect(throws: ModelLoadError.self) { try repository.model(named: "missing") }
    }

    @Test func aModelWithoutVersionOrFileIsAnError() throws {
        let repository = try Self.repository(["a/config.yaml": "task: raw\n", "b/1/other.onnx": "x"])
        let noVersion = #expect(throws: ModelLoadError.self) { try repository.model(named: "a") }
        #expect(noVersion?.problem.contains("version") == true)
        let noFile = #expect(throws: ModelLoadError.self) { try repository.model(named: "b") }
        #expect(noFile?.problem.contains("model.onnx") == true)
    }

    @Test func configYAMLSetsEveryKey() throws {
        let yaml = """
            task: raw
            max_batch_size: 8
            dynamic_batching: false
            max_batch_wait_ms: 2.5
            threads: 3
            engines: 2
            inputs:
              - name: INPUT0
                datatype: FP32
                shape: [-1, 3]
            """
        let repository = try Self.repository(["m/config.yaml": yaml, "m/1/model.onnx": "x"])
        let model = try repository.model(named: "m")
        #expect(
            model.config
                == ModelConfig(
                    task: .raw, maxBatchSize: 8, dynamicBatching: false, maxBatchWaitMilliseconds: 2.5, threads: 3,
                    engines: 2, inputs: [.init(name: "INPUT0", datatype: .fp32, shape: [-1, 3])]))
        let raw = model.rawConfiguration(base: PipelineConfiguration())
        #expect(raw.batching.maxBatchTokens == 8)
        #expect(raw.batching.maxBatchInputs == 8)
        #expect(raw.batching.engines == 2)
        #expect(raw.batching.maxBatchWait == .microseconds(2500))
        #expect(raw.session.intraOpThreads == 3)
        #expect(raw.dynamicBatching == false)
    }

    @Test func rawModelsTakeTheServersRawEngineLayoutUnlessTheirConfigSetsOne() throws {
        let repository = try Self.repository([
            "plain/1/model.onnx": "x", "own/config.yaml": "engines: 3\nthreads: 2\n", "own/1/model.onnx": "x",
            "st/config.yaml": "quantize: int8\n", "st/1/model.onnx": "x", "st/1/tokenizer.json": "{}",
            "st/1/config.json": "{}",
        ])
        var base = PipelineConfiguration()
        base.batching.engines = 2
        base.session.intraOpThreads = 1
        base.rawModelEngines = .init(engines: 1, threads: 4)
        let plain = try repository.model(named: "plain").rawConfiguration(base: base)
        #expect(plain.batching.engines == 1 && plain.session.intraOpThreads == 4)
        let own = try repository.model(named: "own").rawConfiguration(base: base)
        #expect(own.batching.engines == 3 && own.session.intraOpThreads == 2)
        // Text models keep the server's engines; their config may ask for int8.
        let text = try repository.model(named: "st").pipelineConfiguration(base: base)
        #expect(text.batching.engines == 2 && text.session.intraOpThreads == 1 && text.quantization == .int8)
        base.rawModelEngines = nil
        #expect(try repository.model(named: "plain").rawConfiguration(base: base).batching.engines == 2)
    }

    @Test func aTextModelsOwnEnginesOrThreadsTurnCalibrationOff() throws {
        let repository = try Self.repository([
            "plain/1/model.onnx": "x", "plain/1/tokenizer.json": "{}", "plain/1/config.json": "{}",
            "plain/config.yaml": "task: embeddings\n",
            "own/config.yaml": "task: embeddings\nthreads: 1\n", "own/1/model.onnx": "x",
            "own/1/tokenizer.json": "{}", "own/1/config.json": "{}",
        ])
        var base = PipelineConfiguration()
        base.calibration = EngineCalibration(candidates: EngineCalibration.candidates(engines: nil, threads: nil, cores: 4))
        #expect(try repository.model(named: "plain").pipelineConfiguration(base: base).calibration == base.calibration)
        #expect(try repository.model(named: "own").pipelineConfiguration(base: base).calibration == nil)
    }

    @Test func aModelsExecutionProviderListReplacesTheServers() throws {
        let repository = try Self.repository([
            "gpu/config.yaml": "execution_provider: cuda:1,cpu\n", "gpu/1/model.onnx": "x",
            "st/config.yaml": "execution_provider: cpu\n", "st/1/model.onnx": "x", "st/1/tokenizer.json": "{}",
            "st/1/config.json": "{}", "plain/1/model.onnx": "x",
        ])
        var base = PipelineConfiguration()
        base.session.executionProvider = .cuda
        base.session.fallbackProviders = [.cpu]
        let raw = try repository.model(named: "gpu").rawConfiguration(base: base).session
        #expect(raw.executionProvider == .cuda(deviceID: 1) && raw.fallbackProviders == [.cpu])
        let text = try repository.model(named: "st").pipelineConfiguration(base: base).session
        #expect(text.executionProvider == .cpu && text.fallbackProviders.isEmpty)
        let plain = try repository.model(named: "plain").rawConfiguration(base: base).session
        #expect(plain.executionProvider == .cuda && plain.fallbackProviders == [.cpu])
    }

    @Test func configJSONWorksAndMaxBatchSizeZeroTurnsBatchingOff() throws {
        let repository = try Self.repository([
            "m/config.json": #"{"task": "embeddings", "max_batch_size": 0}"#, "m/1/model.onnx": "x",
        ])
        let model = try repository.model(named: "m")
        #expect(model.task == .embeddings)
        #expect(model.rawConfiguration(base: PipelineConfiguration()).dynamicBatching == false)
    }

    @Test func aBareModelIsRawAndASentenceTransformersDirectoryIsEmbeddings() throws {
        let repository = try Self.repository([
            "bare/1/model.onnx": "x", "st/1/model.onnx": "x", "st/1/tokenizer.json": "{}", "st/1/config.json": "{}",
        ])
        #expect(try repository.model(named: "bare").task == .raw)
        #expect(try repository.model(named: "st").task == .embeddings)
    }

    @Test(arguments: [
        ("colour: red\n", "unknown key 'colour'"),
        ("task: translate\n", "task 'translate'"),
        ("max_batch_size: -1\n", "max_batch_size"),
        ("dynamic_batching: maybe\n", "dynamic_batching"),
        ("threads: 0\n", "threads"),
        ("inputs: {a: 1}\n", "inputs"),
        ("inputs:\n  - name: x\n    dims: [1]\n", "inputs[0].dims"),
        ("inputs:\n  - name: x\n    datatype: FLOAT\n", "datatype"),
        ("inputs:\n  - name: x\n    shape: [-2]\n", "shape"),
        ("- just\n- a list\n", "mapping"),
        ("task: [unclosed\n", "parsed"),
        ("execution_provider: gpu\n", "execution_provider 'gpu' is not one of cpu, cuda, cuda:<device>, coreml"),
        ("execution_provider: cuda,cuda\n", "without repeats"),
        ("quantize: int4\n", "quantize 'int4' is not one of: none, int8"),
    ])
    func configErrorsNameTheKey(yaml: String, expected: String) throws {
        let repository = try Self.repository(["m/config.yaml": yaml, "m/1/model.onnx": "x"])
        let error = #expect(throws: ModelLoadError.self) { try repository.model(named: "m") }
        #expect(error?.problem.contains(expected) == true, "\(error?.problem ?? "")")
        #expect(error?.path.hasSuffix("m/config.yaml") == true)
    }

    @Test func theRepositoryMustBeADirectory() {
        #expect(throws: ModelLoadError.self) { try ModelRepository(root: URL(fileURLWithPath: "/nonexistent/repo")) }
    }
}
