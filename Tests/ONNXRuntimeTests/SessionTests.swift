import Testing

@testable import ONNXRuntime

@Suite struct SessionTests {
    @Test func describesMiniLMInputsAndOutputs() throws {
        let session = try Fixtures.miniLM()
        let int64Matrix = [-1, -1]
        #expect(
            session.inputs == [
                ValueInfo(name: "input_ids", kind: .tensor, elementType: .int64, shape: int64Matrix),
                ValueInfo(name: "attention_mask", kind: .tensor, elementType: .int64, shape: int64Matrix),
                ValueInfo(name: "token_type_ids", kind: .tensor, elementType: .int64, shape: int64Matrix),
            ]
        )
        #expect(
            session.outputs == [
                ValueInfo(name: "last_hidden_state", kind: .tensor, elementType: .float, shape: [-1, -1, 384])
            ]
        )
        #expect(session.outputs[0].description == "last_hidden_state: float[-1, -1, 384]")
        #expect(session.modelPath == Fixtures.miniLMPath)
    }

    @Test func describesTheInt8Model() throws {
        let session = try Fixtures.miniLMInt8()
        #expect(session.inputs.map(\.name) == ["input_ids", "attention_mask", "token_type_ids"])
        #expect(session.inputs.allSatisfy { $0.elementType == .int64 && $0.shape == [-1, -1] })
        #expect(session.outputs.map(\.description) == ["last_hidden_state: float[-1, -1, 384]"])
    }

    @Test func aMissingModelFileFailsWithORTsNoSuchFile() throws {
        let environment = try Fixtures.environment()
        let path = Fixtures.path("models/does-not-exist/model.onnx")
        let error = #expect(throws: ORTError.self) { try Session(modelPath: path, environment: environment) }
        #expect(error?.code == .noSuchFile)
        #expect(error?.code.ortRawValue == 3)
        #expect(error?.message.contains(path) == true)
        #expect(error?.description.hasPrefix("ORT_NO_SUCHFILE (3): ") == true)
    }

    @Test func aFileThatIsNotAModelFailsWithORTsError() throws {
        let environment = try Fixtures.environment()
        let notAModel = Fixtures.path("models/all-MiniLM-L6-v2/config.json")
        let error = #expect(throws: ORTError.self) { try Session(modelPath: notAModel, environment: environment) }
        #expect(error?.code == .invalidProtobuf)
    }

    @Test func configEntriesReachTheSession() throws {
        // AddSessionConfigEntry proven by an observable effect: asking ORT to read the file in its own
        // flatbuffer format makes loading an .onnx (protobuf) file fail; without the entry it loads.
        let ortFormat = SessionOptions(configEntries: ["session.load_model_format": "ORT"])
        let error = #expect(throws: ORTError.self) { try Fixtures.miniLM(ortFormat) }
        #expect(error?.code == .invalidGraph || error?.code == .invalidProtobuf || error?.code == .fail)
        let spinningOff = SessionOptions(intraOpThreads: 2, configEntries: ["session.intra_op.allow_spinning": "0"])
        let session = try Fixtures.miniLM(spinningOff)
        #expect(try session.run(ReferenceValues.inputs(library: session.library)).count == 1)
    }

    @Test(arguments: GraphOptimizationLevel.allCases)
    func everyOptimizationLevelLoadsAndRuns(level: GraphOptimizationLevel) throws {
        let options = SessionOptions(intraOpThreads: 2, interOpThreads: 1, graphOptimizationLevel: level)
        let session = try Fixtures.miniLM(options)
        #expect(session.options == options)
        let outputs = try session.run(ReferenceValues.inputs(library: session.library))
        try outputs[0].withUnsafeBufferPointer(as: Float.self) { hidden in
            for probe in ReferenceValues.fp32Probes {
                #expect(abs(hidden[probe.flatIndex] - probe.value) <= 1e-5, "\(level) at \(probe)")
            }
        }
    }

    @Test func negativeThreadCountsAreRejectedBeforeORTSeesThem() throws {
        let error = #expect(throws: ORTError.self) { try Fixtures.miniLM(SessionOptions(intraOpThreads: -1)) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "intraOpThreads must be between 0 and 2147483647, got -1")
    }

    @Test func cudaIsAcceptedButReportedUnavailableInTheCPUBuild() throws {
        let error = #expect(throws: ORTError.self) {
            try Fixtures.miniLM(SessionOptions(executionProvider: .cuda))
        }
        #expect(error?.code == .providerUnavailable)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("execution provider 'cuda' is not available in the loaded ONNX Runtime 1.31.1"))
        #expect(message.hasSuffix("(available: AzureExecutionProvider, CPUExecutionProvider)"))
    }

    @Test func coreMLIsAcceptedButReportedUnavailableInTheCPUBuild() throws {
        let error = #expect(throws: ORTError.self) {
            try Fixtures.miniLM(SessionOptions(executionProvider: .coreml))
        }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("execution provider 'coreml' is not available") == true)
    }

    @Test func sessionsKeepTheirEnvironmentAlive() throws {
        weak var weakEnvironment: Environment?
        let session: Session
        do {
            let environment = try Fixtures.environment()
            weakEnvironment = environment
            session = try Session(modelPath: try Fixtures.model(Fixtures.miniLMPath), environment: environment)
        }
        #expect(weakEnvironment != nil)
        #expect(session.environment === weakEnvironment)
    }
}
