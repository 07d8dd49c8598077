import Foundation
import GRPCCore
import InferenceCore
import KServeGRPC
import Serving

/// KServe v2's `inference.GRPCInferenceService` as Triton serves it, over the same registry, validation, scheduler
/// and tensor codecs as the `/v2` HTTP routes: each RPC here is the HTTP route's work with protobuf messages in
/// and out. Errors get Triton's gRPC codes (`GRPCStatus`); system/CUDA shared memory, tracing and log settings
/// are UNIMPLEMENTED.
struct GRPCInferenceService: Inference_GRPCInferenceService.SimpleServiceProtocol {
    let registry: ModelRegistry
    let configuration: ServerConfiguration

    // MARK: Health and metadata

    func serverLive(request: Inference_ServerLiveRequest, context: ServerContext) async throws
        -> Inference_ServerLiveResponse
    {
        var response = Inference_ServerLiveResponse()
        response.live = true
        return response
    }

    func serverReady(request: Inference_ServerReadyRequest, context: ServerContext) async throws
        -> Inference_ServerReadyResponse
    {
        var response = Inference_ServerReadyResponse()
        response.ready = registry.isReady
        return response
    }

    /// Ready is false for a model that is loading, unloading, failed or unknown, as Triton answers.
    func modelReady(request: Inference_ModelReadyRequest, context: ServerContext) async throws
        -> Inference_ModelReadyResponse
    {
        var response = Inference_ModelReadyResponse()
        response.ready = (try? model(request.name, request.version)) != nil
        return response
    }

    func serverMetadata(request: Inference_ServerMetadataRequest, context: ServerContext) async throws
        -> Inference_ServerMetadataResponse
    {
        var response = Inference_ServerMetadataResponse()
        response.name = "tern"
        response.version = TernVersion.current
        response.extensions = KServeRoutes.extensions
        return response
    }

    func modelMetadata(request: Inference_ModelMetadataRequest, context: ServerContext) async throws
        -> Inference_ModelMetadataResponse
    {
        let model = try model(request.name, request.version)
        var response = Inference_ModelMetadataResponse()
        response.name = model.name
        response.versions = [model.version]
        response.platform = "onnxruntime_onnx"
        func metadata(_ spec: TensorSpec) -> Inference_ModelMetadataResponse.TensorMetadata {
            var tensor = Inference_ModelMetadataResponse.TensorMetadata()
            tensor.name = spec.name
            tensor.datatype = spec.datatype.rawValue
            tensor.shape = spec.shape.map { Int64($0) }
            return tensor
        }
        response.inputs = model.inputs.map(metadata)
        response.outputs = model.outputs.map(metadata)
        return response
    }

    /// Triton's model configuration: with `max_batch_size` above 0, `dims` leave out the batch dimension.
    func modelConfig(request: Inference_ModelConfigRequest, context: ServerContext) async throws
        -> Inference_ModelConfigResponse
    {
        let model = try model(request.name, request.version)
        let batched = model.maxBatchSize > 0
        var config = Inference_ModelConfig()
        config.name = model.name
        config.platform = "onnxruntime_onnx"
        config.backend = "onnxruntime"
        config.maxBatchSize = Int32(clamping: model.maxBatchSize)
        var instance = Inference_ModelInstanceGroup()
        instance.name = model.name
        instance.kind = model.gpus.isEmpty ? .cpu : .gpu
        instance.gpus = model.gpus.map { Int32(clamping: $0) }
        config.instanceGroup = [instance]
        if let version = Int64(model.version) {
            var policy = Inference_ModelVersionPolicy()
            var specific = Inference_ModelVersionPolicy.Specific()
            specific.versions = [version]
            policy.specific = specific
            config.versionPolicy = policy
        }
        func dims(_ spec: TensorSpec) -> [Int64] { (batched ? Array(spec.shape.dropFirst()) : spec.shape).map { Int64($0) } }
        config.input = model.inputs.map { spec in
            var input = Inference_ModelInput()
            input.name = spec.name
            input.dataType = Self.dataType(spec.datatype)
            input.dims = dims(spec)
            return input
        }
        config.output = model.outputs.map { spec in
            var output = Inference_ModelOutput()
            output.name = spec.name
            output.dataType = Self.dataType(spec.datatype)
            output.dims = dims(spec)
            return output
        }
        if batched { config.dynamicBatching = Inference_ModelDynamicBatching() }
        var response = Inference_ModelConfigResponse()
        response.config = config
        return response
    }

    func modelStatistics(request: Inference_ModelStatisticsRequest, context: ServerContext) async throws
        -> Inference_ModelStatisticsResponse
    {
        let models: [TensorModel]
        if request.name.isEmpty {
            models = registry.repositoryIndex().filter { $0.state == .ready }.compactMap {
                try? registry.tensorModel(named: $0.name, version: $0.version)
            }
        } else {
            models = [try model(request.name, request.version)]
        }
        var response = Inference_ModelStatisticsResponse()
        response.modelStats = models.map { Self.statistics($0.statistics, name: $0.name, version: $0.version) }
        return response
    }

    // MARK: Inference

    func modelInfer(request: Inference_ModelInferRequest, context: ServerContext) async throws
        -> Inference_ModelInferResponse
    {
        do {
            return try await infer(request, deadline: GRPCCall.deadline(parameters: request.parameters, default: configuration.requestTimeout))
        } catch {
            throw GRPCStatus.rpcError(error)
        }
    }

    /// Every request of the stream runs as soon as it arrives, concurrently with the others (as Triton's
    /// stream does); each answer, or its error in `error_message`, is written when ready and carries the
    /// request's `id`. A failed request does not end the stream. When the client cancels, requests still
    /// queued are dropped before they reach the model.
    func modelStreamInfer(
        request: RPCAsyncSequence<Inference_ModelInferRequest, any Error>,
        response: RPCWriter<Inference_ModelStreamInferResponse>,
        context: ServerContext
    ) async throws {
        let writer = StreamWriter(response)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for try await message in request {
                group.addTask {
                    var answer = Inference_ModelStreamInferResponse()
                    do {
                        let deadline = try GRPCCall.deadline(parameters: message.parameters, default: configuration.requestTimeout)
                        answer.inferResponse = try await infer(message, deadline: deadline)
                    } catch {
                        answer.errorMessage = GRPCStatus.rpcError(error).message
                        var identified = Inference_ModelInferResponse()
                        identified.id = message.id
                        identified.modelName = message.modelName
                        identified.modelVersion = message.modelVersion
                        answer.inferResponse = identified
                    }
                    try await writer.write(answer)
                }
            }
            try await group.waitForAll()
        }
    }

    private func infer(_ request: Inference_ModelInferRequest, deadline: ContinuousClock.Instant) async throws
        -> Inference_ModelInferResponse
    {
        let model = try model(request.modelName, request.modelVersion)
        let parsed = try GRPCInferCodec(model: ModelSignature(model)).decode(request)
        let names = parsed.outputs.map(\.name)
        let result: RawInferenceResult
        if case .raw = model {
            result = try await model.infer(parsed.inputs, outputs: names, deadline: deadline)
        } else {
            // Tokenizing texts and decoding images is real CPU work: it goes to the Swift concurrency pool, off the
            // gRPC event loop the call's task otherwise runs on (GRPCServer.swift, EventLoopTaskExecutor).
            result = try await withTaskExecutorPreference(globalConcurrentExecutor) {
                try await model.infer(parsed.inputs, outputs: names, deadline: deadline)
            }
        }
        return GRPCInferCodec.response(
            id: parsed.id, model: model.name, version: model.version, outputs: result.outputs,
            requested: parsed.outputs)
    }

    // MARK: Repository

    func repositoryIndex(request: Inference_RepositoryIndexRequest, context: ServerContext) async throws
        -> Inference_RepositoryIndexResponse
    {
        var response = Inference_RepositoryIndexResponse()
        for entry in registry.repositoryIndex() where !request.ready || entry.state == .ready {
            var model = Inference_RepositoryIndexResponse.ModelIndex()
            model.name = entry.name
            model.version = entry.version ?? ""
            model.state = entry.state.rawValue
            model.reason = entry.reason
            response.models.append(model)
        }
        return response
    }

    func repositoryModelLoad(request: Inference_RepositoryModelLoadRequest, context: ServerContext) async throws
        -> Inference_RepositoryModelLoadResponse
    {
        if let parameter = request.parameters.keys.sorted().first(where: { $0 == "config" || $0.hasPrefix("file:") }) {
            throw RPCError(
                code: .invalidArgument,
                message: "load parameter '\(parameter)' is not supported: Tern loads models from the repository only")
        }
        do { try await registry.load(request.modelName) } catch { throw GRPCStatus.rpcError(error) }
        return Inference_RepositoryModelLoadResponse()
    }

    func repositoryModelUnload(request: Inference_RepositoryModelUnloadRequest, context: ServerContext) async throws
        -> Inference_RepositoryModelUnloadResponse
    {
        do { try await registry.unload(request.modelName) } catch { throw GRPCStatus.rpcError(error) }
        return Inference_RepositoryModelUnloadResponse()
    }

    // MARK: Not served

    func systemSharedMemoryStatus(request: Inference_SystemSharedMemoryStatusRequest, context: ServerContext)
        async throws -> Inference_SystemSharedMemoryStatusResponse
    { throw Self.unimplemented("system shared memory") }

    func systemSharedMemoryRegister(request: Inference_SystemSharedMemoryRegisterRequest, context: ServerContext)
        async throws -> Inference_SystemSharedMemoryRegisterResponse
    { throw Self.unimplemented("system shared memory") }

    func systemSharedMemoryUnregister(request: Inference_SystemSharedMemoryUnregisterRequest, context: ServerContext)
        async throws -> Inference_SystemSharedMemoryUnregisterResponse
    { throw Self.unimplemented("system shared memory") }

    func cudaSharedMemoryStatus(request: Inference_CudaSharedMemoryStatusRequest, context: ServerContext)
        async throws -> Inference_CudaSharedMemoryStatusResponse
    { throw Self.unimplemented("CUDA shared memory") }

    func cudaSharedMemoryRegister(request: Inference_CudaSharedMemoryRegisterRequest, context: ServerContext)
        async throws -> Inference_CudaSharedMemoryRegisterResponse
    { throw Self.unimplemented("CUDA shared memory") }

    func cudaSharedMemoryUnregister(request: Inference_CudaSharedMemoryUnregisterRequest, context: ServerContext)
        async throws -> Inference_CudaSharedMemoryUnregisterResponse
    { throw Self.unimplemented("CUDA shared memory") }

    func traceSetting(request: Inference_TraceSettingRequest, context: ServerContext) async throws
        -> Inference_TraceSettingResponse
    { throw Self.unimplemented("trace settings (tracing is configured with --otlp-endpoint)") }

    func logSettings(request: Inference_LogSettingsRequest, context: ServerContext) async throws
        -> Inference_LogSettingsResponse
    { throw Self.unimplemented("log settings (logging is configured with --log-level)") }

    // MARK: Helpers

    /// The model a request names, at the version it names (the served one when empty), or its gRPC error.
    private func model(_ name: String, _ version: String) throws -> TensorModel {
        guard !name.isEmpty else { throw RPCError(code: .invalidArgument, message: "the request names no model") }
        do {
            return try registry.tensorModel(named: name, version: version.isEmpty ? nil : version)
        } catch {
            throw GRPCStatus.rpcError(error)
        }
    }

    private static func unimplemented(_ feature: String) -> RPCError {
        RPCError(code: .unimplemented, message: "Tern does not serve \(feature)")
    }

    static func dataType(_ datatype: TensorDatatype) -> Inference_DataType {
        switch datatype {
        case .bool: .typeBool
        case .uint8: .typeUint8
        case .uint16: .typeUint16
        case .uint32: .typeUint32
        case .uint64: .typeUint64
        case .int8: .typeInt8
        case .int16: .typeInt16
        case .int32: .typeInt32
        case .int64: .typeInt64
        case .fp16: .typeFp16
        case .fp32: .typeFp32
        case .fp64: .typeFp64
        case .bytes: .typeString
        }
    }

    static func statistics(_ statistics: ModelStatistics, name: String, version: String) -> Inference_ModelStatistics {
        func duration(_ value: ModelStatistics.Duration) -> Inference_StatisticDuration {
            var duration = Inference_StatisticDuration()
            duration.count = UInt64(value.count)
            duration.ns = value.nanoseconds
            return duration
        }
        var model = Inference_ModelStatistics()
        model.name = name
        model.version = version
        model.lastInference = statistics.lastInference
        model.inferenceCount = UInt64(statistics.inferenceCount)
        model.executionCount = UInt64(statistics.executionCount)
        var inference = Inference_InferStatistics()
        inference.success = duration(statistics.success)
        inference.fail = duration(statistics.fail)
        inference.queue = duration(statistics.queue)
        inference.computeInput = duration(statistics.computeInput)
        inference.computeInfer = duration(statistics.computeInfer)
        inference.computeOutput = duration(statistics.computeOutput)
        inference.cacheHit = Inference_StatisticDuration()
        inference.cacheMiss = Inference_StatisticDuration()
        model.inferenceStats = inference
        return model
    }
}

/// Serialises writes of a stream's answers, which finish on several tasks.
private actor StreamWriter {
    let writer: RPCWriter<Inference_ModelStreamInferResponse>

    init(_ writer: RPCWriter<Inference_ModelStreamInferResponse>) { self.writer = writer }

    func write(_ answer: Inference_ModelStreamInferResponse) async throws { try await writer.write(answer) }
}
