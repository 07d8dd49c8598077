// The OrtApiBase entry point and the OrtApi function table, declared up to the last slot Tern calls.
//
// OrtApi is append-only: a slot's position is part of ONNX Runtime's ABI and never changes. Every slot before the
// last one Tern calls must still take its place, so the slots Tern does not call are declared as `void *` padding
// arrays named `_unused_<first>_<last>` (inclusive indices), with the names of the functions they stand for in the
// comment above. The slots Tern calls carry their real function-pointer types and their index in a comment.
// Positions were counted from onnxruntime_c_api.h and agree with the static_asserts ONNX Runtime keeps in
// onnxruntime_c_api.cc (ReleaseCustomOpDomain == 101, ReleaseModelMetadata == 118, ReleaseAvailableProviders == 126,
// SynchronizeBoundOutputs == 203, SessionOptionsAppendExecutionProvider_MIGraphX == 209, ReleaseKernelInfo == 218).
// Tests/ONNXRuntimeTests/OrtApiLayoutTests.swift checks every index below.
#ifndef CONNXRUNTIME_ORT_API_H
#define CONNXRUNTIME_ORT_API_H

#include "ORTTypes.h"

#pragma clang assume_nonnull begin

/// What every fallible ORT function returns: NULL on success, otherwise a status to read and release.
typedef OrtStatus *_Nullable OrtStatusPtr;

typedef struct OrtApi OrtApi;

/// The versioned entry point returned by OrtGetApiBase(). Never changes shape.
typedef struct OrtApiBase {
    /// Returns the table for `version`, or NULL (after printing to stderr) when the library is older than that.
    const OrtApi *_Nullable (*_Nonnull GetApi)(uint32_t version);
    /// The library's release, e.g. "1.31.1". Owned by the library.
    const char *_Nonnull (*_Nonnull GetVersionString)(void);
} OrtApiBase;

/// Type of the exported `OrtGetApiBase` symbol, for casting the result of dlsym.
typedef const OrtApiBase *_Nullable (*_Nonnull OrtGetApiBaseFunction)(void);

struct OrtApi {
    // 0: CreateStatus
    void *_Nullable _unused_0_0[1];
    /* 1 */ OrtErrorCode (*_Nonnull GetErrorCode)(const OrtStatus *status);
    /* 2 */ const char *_Nonnull (*_Nonnull GetErrorMessage)(const OrtStatus *status);
    /* 3 */ OrtStatusPtr (*_Nonnull CreateEnv)(
        OrtLoggingLevel log_severity_level, const char *logid, OrtEnv *_Nullable *_Nonnull out);
    // 4-6: CreateEnvWithCustomLogger, EnableTelemetryEvents, DisableTelemetryEvents
    void *_Nullable _unused_4_6[3];
    /* 7 */ OrtStatusPtr (*_Nonnull CreateSession)(
        const OrtEnv *env, const char *model_path, const OrtSessionOptions *options,
        OrtSession *_Nullable *_Nonnull out);
    // 8: CreateSessionFromArray
    void *_Nullable _unused_8_8[1];
    /* 9 */ OrtStatusPtr (*_Nonnull Run)(
        OrtSession *session, const OrtRunOptions *_Nullable run_options,
        const char *_Nonnull const *_Nullable input_names, const OrtValue *_Nonnull const *_Nullable inputs,
        size_t input_len, const char *_Nonnull const *_Nonnull output_names, size_t output_names_len,
        OrtValue *_Nullable *_Nonnull outputs);
    /* 10 */ OrtStatusPtr (*_Nonnull CreateSessionOptions)(OrtSessionOptions *_Nullable *_Nonnull options);
    // 11-18: SetOptimizedModelFilePath, CloneSessionOptions, SetSessionExecutionMode, EnableProfiling,
    //        DisableProfiling, EnableMemPattern, DisableMemPattern, EnableCpuMemArena
    void *_Nullable _unused_11_18[8];
    /* 19 */ OrtStatusPtr (*_Nonnull DisableCpuMemArena)(OrtSessionOptions *options);
    // 20-22: SetSessionLogId, SetSessionLogVerbosityLevel, SetSessionLogSeverityLevel
    void *_Nullable _unused_20_22[3];
    /* 23 */ OrtStatusPtr (*_Nonnull SetSessionGraphOptimizationLevel)(
        OrtSessionOptions *options, GraphOptimizationLevel graph_optimization_level);
    /* 24 */ OrtStatusPtr (*_Nonnull SetIntraOpNumThreads)(OrtSessionOptions *options, int intra_op_num_threads);
    /* 25 */ OrtStatusPtr (*_Nonnull SetInterOpNumThreads)(OrtSessionOptions *options, int inter_op_num_threads);
    // 26-29: CreateCustomOpDomain, CustomOpDomain_Add, AddCustomOpDomain, RegisterCustomOpsLibrary
    void *_Nullable _unused_26_29[4];
    /* 30 */ OrtStatusPtr (*_Nonnull SessionGetInputCount)(const OrtSession *session, size_t *out);
    /* 31 */ OrtStatusPtr (*_Nonnull SessionGetOutputCount)(const OrtSession *session, size_t *out);
    // 32: SessionGetOverridableInitializerCount
    void *_Nullable _unused_32_32[1];
    /* 33 */ OrtStatusPtr (*_Nonnull SessionGetInputTypeInfo)(
        const OrtSession *session, size_t index, OrtTypeInfo *_Nullable *_Nonnull type_info);
    /* 34 */ OrtStatusPtr (*_Nonnull SessionGetOutputTypeInfo)(
        const OrtSession *session, size_t index, OrtTypeInfo *_Nullable *_Nonnull type_info);
    // 35: SessionGetOverridableInitializerTypeInfo
    void *_Nullable _unused_35_35[1];
    /* 36 */ OrtStatusPtr (*_Nonnull SessionGetInputName)(
        const OrtSession *session, size_t index, OrtAllocator *allocator, char *_Nullable *_Nonnull value);
    /* 37 */ OrtStatusPtr (*_Nonnull SessionGetOutputName)(
        const OrtSession *session, size_t index, OrtAllocator *allocator, char *_Nullable *_Nonnull value);
    // 38: SessionGetOverridableInitializerName
    void *_Nullable _unused_38_38[1];
    /* 39 */ OrtStatusPtr (*_Nonnull CreateRunOptions)(OrtRunOptions *_Nullable *_Nonnull out);
    // 40-47: RunOptionsSetRunLogVerbosityLevel, RunOptionsSetRunLogSeverityLevel, RunOptionsSetRunTag,
    //        RunOptionsGetRunLogVerbosityLevel, RunOptionsGetRunLogSeverityLevel, RunOptionsGetRunTag,
    //        RunOptionsSetTerminate, RunOptionsUnsetTerminate
    void *_Nullable _unused_40_47[8];
    /* 48 */ OrtStatusPtr (*_Nonnull CreateTensorAsOrtValue)(
        OrtAllocator *allocator, const int64_t *_Nullable shape, size_t shape_len, ONNXTensorElementDataType type,
        OrtValue *_Nullable *_Nonnull out);
    /* 49 */ OrtStatusPtr (*_Nonnull CreateTensorWithDataAsOrtValue)(
        const OrtMemoryInfo *info, void *p_data, size_t p_data_len, const int64_t *_Nullable shape, size_t shape_len,
        ONNXTensorElementDataType type, OrtValue *_Nullable *_Nonnull out);
    // 50: IsTensor
    void *_Nullable _unused_50_50[1];
    /* 51 */ OrtStatusPtr (*_Nonnull GetTensorMutableData)(OrtValue *value, void *_Nullable *_Nonnull out);
    /* 52 */ OrtStatusPtr (*_Nonnull FillStringTensor)(
        OrtValue *value, const char *_Nonnull const *_Nullable s, size_t s_len);
    /* 53 */ OrtStatusPtr (*_Nonnull GetStringTensorDataLength)(const OrtValue *value, size_t *len);
    /* 54 */ OrtStatusPtr (*_Nonnull GetStringTensorContent)(
        const OrtValue *value, void *_Nullable s, size_t s_len, size_t *_Nullable offsets, size_t offsets_len);
    /* 55 */ OrtStatusPtr (*_Nonnull CastTypeInfoToTensorInfo)(
        const OrtTypeInfo *type_info, const OrtTensorTypeAndShapeInfo *_Nullable *_Nonnull out);
    /* 56 */ OrtStatusPtr (*_Nonnull GetOnnxTypeFromTypeInfo)(const OrtTypeInfo *type_info, ONNXType *out);
    /* 57 */ OrtStatusPtr (*_Nonnull CreateTensorTypeAndShapeInfo)(OrtTensorTypeAndShapeInfo *_Nullable *_Nonnull out);
    /* 58 */ OrtStatusPtr (*_Nonnull SetTensorElementType)(
        OrtTensorTypeAndShapeInfo *info, ONNXTensorElementDataType type);
    /* 59 */ OrtStatusPtr (*_Nonnull SetDimensions)(
        OrtTensorTypeAndShapeInfo *info, const int64_t *_Nullable dim_values, size_t dim_count);
    /* 60 */ OrtStatusPtr (*_Nonnull GetTensorElementType)(
        const OrtTensorTypeAndShapeInfo *info, ONNXTensorElementDataType *out);
    /* 61 */ OrtStatusPtr (*_Nonnull GetDimensionsCount)(const OrtTensorTypeAndShapeInfo *info, size_t *out);
    /* 62 */ OrtStatusPtr (*_Nonnull GetDimensions)(
        const OrtTensorTypeAndShapeInfo *info, int64_t *_Nullable dim_values, size_t dim_values_length);
    // 63-64: GetSymbolicDimensions, GetTensorShapeElementCount
    void *_Nullable _unused_63_64[2];
    /* 65 */ OrtStatusPtr (*_Nonnull GetTensorTypeAndShape)(
        const OrtValue *value, OrtTensorTypeAndShapeInfo *_Nullable *_Nonnull out);
    // 66: GetTypeInfo
    void *_Nullable _unused_66_66[1];
    /* 67 */ OrtStatusPtr (*_Nonnull GetValueType)(const OrtValue *value, ONNXType *out);
    // 68: CreateMemoryInfo
    void *_Nullable _unused_68_68[1];
    /* 69 */ OrtStatusPtr (*_Nonnull CreateCpuMemoryInfo)(
        OrtAllocatorType type, OrtMemType mem_type, OrtMemoryInfo *_Nullable *_Nonnull out);
    // 70-75: CompareMemoryInfo, MemoryInfoGetName, MemoryInfoGetId, MemoryInfoGetMemType, MemoryInfoGetType,
    //        AllocatorAlloc
    void *_Nullable _unused_70_75[6];
    /* 76 */ OrtStatusPtr (*_Nonnull AllocatorFree)(OrtAllocator *ort_allocator, void *_Nullable p);
    // 77: AllocatorGetInfo
    void *_Nullable _unused_77_77[1];
    /* 78 */ OrtStatusPtr (*_Nonnull GetAllocatorWithDefaultOptions)(OrtAllocator *_Nullable *_Nonnull out);
    // 79-91: AddFreeDimensionOverride, GetValue, GetValueCount, CreateValue, CreateOpaqueValue, GetOpaqueValue,
    //        KernelInfoGetAttribute_float, KernelInfoGetAttribute_int64, KernelInfoGetAttribute_string,
    //        KernelContext_GetInputCount, KernelContext_GetOutputCount, KernelContext_GetInput,
    //        KernelContext_GetOutput
    void *_Nullable _unused_79_91[13];
    /* 92 */ void (*_Nonnull ReleaseEnv)(OrtEnv *_Nullable input);
    /* 93 */ void (*_Nonnull ReleaseStatus)(OrtStatus *_Nullable input);
    /* 94 */ void (*_Nonnull ReleaseMemoryInfo)(OrtMemoryInfo *_Nullable input);
    /* 95 */ void (*_Nonnull ReleaseSession)(OrtSession *_Nullable input);
    /* 96 */ void (*_Nonnull ReleaseValue)(OrtValue *_Nullable input);
    /* 97 */ void (*_Nonnull ReleaseRunOptions)(OrtRunOptions *_Nullable input);
    /* 98 */ void (*_Nonnull ReleaseTypeInfo)(OrtTypeInfo *_Nullable input);
    /* 99 */ void (*_Nonnull ReleaseTensorTypeAndShapeInfo)(OrtTensorTypeAndShapeInfo *_Nullable input);
    /* 100 */ void (*_Nonnull ReleaseSessionOptions)(OrtSessionOptions *_Nullable input);
    // 101-124: ReleaseCustomOpDomain, GetDenotationFromTypeInfo, CastTypeInfoToMapTypeInfo,
    //          CastTypeInfoToSequenceTypeInfo, GetMapKeyType, GetMapValueType, GetSequenceElementType,
    //          ReleaseMapTypeInfo, ReleaseSequenceTypeInfo, SessionEndProfiling, SessionGetModelMetadata,
    //          ModelMetadataGetProducerName, ModelMetadataGetGraphName, ModelMetadataGetDomain,
    //          ModelMetadataGetDescription, ModelMetadataLookupCustomMetadataMap, ModelMetadataGetVersion,
    //          ReleaseModelMetadata, CreateEnvWithGlobalThreadPools, DisablePerSessionThreads,
    //          CreateThreadingOptions, ReleaseThreadingOptions, ModelMetadataGetCustomMetadataMapKeys,
    //          AddFreeDimensionOverrideByName
    void *_Nullable _unused_101_124[24];
    /* 125 */ OrtStatusPtr (*_Nonnull GetAvailableProviders)(
        char *_Nullable *_Nullable *_Nonnull out_ptr, int *provider_length);
    /* 126 */ OrtStatusPtr (*_Nonnull ReleaseAvailableProviders)(char *_Nullable *_Nullable ptr, int providers_length);
    // 127-129: GetStringTensorElementLength, GetStringTensorElement, FillStringTensorElement
    void *_Nullable _unused_127_129[3];
    /* 130 */ OrtStatusPtr (*_Nonnull AddSessionConfigEntry)(
        OrtSessionOptions *options, const char *_Nonnull config_key, const char *_Nonnull config_value);
    // 131-164: (in order)
    //          CreateAllocator, ReleaseAllocator, RunWithBinding, CreateIoBinding, ReleaseIoBinding, BindInput,
    //          BindOutput, BindOutputToDevice, GetBoundOutputNames, GetBoundOutputValues, ClearBoundInputs,
    //          ClearBoundOutputs, TensorAt, CreateAndRegisterAllocator, SetLanguageProjection,
    //          SessionGetProfilingStartTimeNs, SetGlobalIntraOpNumThreads, SetGlobalInterOpNumThreads,
    //          SetGlobalSpinControl, AddInitializer, CreateEnvWithCustomLoggerAndGlobalThreadPools,
    //          SessionOptionsAppendExecutionProvider_CUDA, SessionOptionsAppendExecutionProvider_ROCM,
    //          SessionOptionsAppendExecutionProvider_OpenVINO, SetGlobalDenormalAsZero, CreateArenaCfg,
    //          ReleaseArenaCfg, ModelMetadataGetGraphDescription, SessionOptionsAppendExecutionProvider_TensorRT,
    //          SetCurrentGpuDeviceId, GetCurrentGpuDeviceId, KernelInfoGetAttributeArray_float,
    //          KernelInfoGetAttributeArray_int64, CreateArenaCfgV2
    void *_Nullable _unused_131_164[34];
    /* 165 */ OrtStatusPtr (*_Nonnull AddRunConfigEntry)(
        OrtRunOptions *options, const char *_Nonnull config_key, const char *_Nonnull config_value);
    // 166-203: (in order)
    //          CreatePrepackedWeightsContainer, ReleasePrepackedWeightsContainer,
    //          CreateSessionWithPrepackedWeightsContainer, CreateSessionFromArrayWithPrepackedWeightsContainer,
    //          SessionOptionsAppendExecutionProvider_TensorRT_V2, CreateTensorRTProviderOptions,
    //          UpdateTensorRTProviderOptions, GetTensorRTProviderOptionsAsString, ReleaseTensorRTProviderOptions,
    //          EnableOrtCustomOps, RegisterAllocator, UnregisterAllocator, IsSparseTensor,
    //          CreateSparseTensorAsOrtValue, FillSparseTensorCoo, FillSparseTensorCsr, FillSparseTensorBlockSparse,
    //          CreateSparseTensorWithValuesAsOrtValue, UseCooIndices, UseCsrIndices, UseBlockSparseIndices,
    //          GetSparseTensorFormat, GetSparseTensorValuesTypeAndShape, GetSparseTensorValues,
    //          GetSparseTensorIndicesTypeShape, GetSparseTensorIndices, HasValue, KernelContext_GetGPUComputeStream,
    //          GetTensorMemoryInfo, GetExecutionProviderApi, SessionOptionsSetCustomCreateThreadFn,
    //          SessionOptionsSetCustomThreadCreationOptions, SessionOptionsSetCustomJoinThreadFn,
    //          SetGlobalCustomCreateThreadFn, SetGlobalCustomThreadCreationOptions, SetGlobalCustomJoinThreadFn,
    //          SynchronizeBoundInputs, SynchronizeBoundOutputs
    void *_Nullable _unused_166_203[38];
    /* 204 */ OrtStatusPtr (*_Nonnull SessionOptionsAppendExecutionProvider_CUDA_V2)(
        OrtSessionOptions *options, const OrtCUDAProviderOptionsV2 *cuda_options);
    /* 205 */ OrtStatusPtr (*_Nonnull CreateCUDAProviderOptions)(OrtCUDAProviderOptionsV2 *_Nullable *_Nonnull out);
    /* 206 */ OrtStatusPtr (*_Nonnull UpdateCUDAProviderOptions)(
        OrtCUDAProviderOptionsV2 *cuda_options, const char *_Nonnull const *_Nullable provider_options_keys,
        const char *_Nonnull const *_Nullable provider_options_values, size_t num_keys);
    // 207: GetCUDAProviderOptionsAsString
    void *_Nullable _unused_207_207[1];
    /* 208 */ void (*_Nonnull ReleaseCUDAProviderOptions)(OrtCUDAProviderOptionsV2 *_Nullable input);
    // 209-210: SessionOptionsAppendExecutionProvider_MIGraphX, AddExternalInitializers
    void *_Nullable _unused_209_210[2];
    /* 211 */ OrtStatusPtr (*_Nonnull CreateOpAttr)(
        const char *name, const void *data, int len, OrtOpAttrType type, OrtOpAttr *_Nullable *_Nonnull op_attr);
    /* 212 */ void (*_Nonnull ReleaseOpAttr)(OrtOpAttr *_Nullable input);
    // 213-215: CreateOp, InvokeOp, ReleaseOp
    void *_Nullable _unused_213_215[3];
    /* 216 */ OrtStatusPtr (*_Nonnull SessionOptionsAppendExecutionProvider)(
        OrtSessionOptions *options, const char *provider_name,
        const char *_Nonnull const *_Nullable provider_options_keys,
        const char *_Nonnull const *_Nullable provider_options_values, size_t num_keys);
    // 217-270: CopyKernelInfo, ReleaseKernelInfo, GetTrainingApi, SessionOptionsAppendExecutionProvider_CANN,
    //          CreateCANNProviderOptions, UpdateCANNProviderOptions, GetCANNProviderOptionsAsString,
    //          ReleaseCANNProviderOptions, MemoryInfoGetDeviceType, UpdateEnvWithCustomLogLevel,
    //          SetGlobalIntraOpThreadAffinity, RegisterCustomOpsLibrary_V2, RegisterCustomOpsUsingFunction,
    //          KernelInfo_GetInputCount, KernelInfo_GetOutputCount, KernelInfo_GetInputName, KernelInfo_GetOutputName,
    //          KernelInfo_GetInputTypeInfo, KernelInfo_GetOutputTypeInfo, KernelInfoGetAttribute_tensor,
    //          HasSessionConfigEntry, GetSessionConfigEntry, SessionOptionsAppendExecutionProvider_Dnnl,
    //          CreateDnnlProviderOptions, UpdateDnnlProviderOptions, GetDnnlProviderOptionsAsString,
    //          ReleaseDnnlProviderOptions, KernelInfo_GetNodeName, KernelInfo_GetLogger, KernelContext_GetLogger,
    //          Logger_LogMessage, Logger_GetLoggingSeverityLevel, KernelInfoGetConstantInput_tensor,
    //          CastTypeInfoToOptionalTypeInfo, GetOptionalContainedTypeInfo, GetResizedStringTensorElementBuffer,
    //          KernelContext_GetAllocator, GetBuildInfoString, CreateROCMProviderOptions, UpdateROCMProviderOptions,
    //          GetROCMProviderOptionsAsString, ReleaseROCMProviderOptions, CreateAndRegisterAllocatorV2, RunAsync,
    //          UpdateTensorRTProviderOptionsWithValue, GetTensorRTProviderOptionsByName,
    //          UpdateCUDAProviderOptionsWithValue, GetCUDAProviderOptionsByName, KernelContext_GetResource,
    //          SetUserLoggingFunction, ShapeInferContext_GetInputCount, ShapeInferContext_GetInputTypeShape,
    //          ShapeInferContext_GetAttribute, ShapeInferContext_SetOutputTypeShape
    void *_Nullable _unused_217_270[54];
    /* 271 */ OrtStatusPtr (*_Nonnull SetSymbolicDimensions)(
        OrtTensorTypeAndShapeInfo *info, const char *_Nonnull *_Nonnull dim_params, size_t dim_params_length);
    // 272-284: ReadOpAttr, SetDeterministicCompute, KernelContext_ParallelFor,
    //          SessionOptionsAppendExecutionProvider_OpenVINO_V2, SessionOptionsAppendExecutionProvider_VitisAI,
    //          KernelContext_GetScratchBuffer, KernelInfoGetAllocator, AddExternalInitializersFromFilesInMemory,
    //          CreateLoraAdapter, CreateLoraAdapterFromArray, ReleaseLoraAdapter, RunOptionsAddActiveLoraAdapter,
    //          SetEpDynamicOptions
    void *_Nullable _unused_272_284[13];
    /* 285 */ void (*_Nonnull ReleaseValueInfo)(OrtValueInfo *_Nullable input);
    /* 286 */ void (*_Nonnull ReleaseNode)(OrtNode *_Nullable input);
    /* 287 */ void (*_Nonnull ReleaseGraph)(OrtGraph *_Nullable input);
    /* 288 */ void (*_Nonnull ReleaseModel)(OrtModel *_Nullable input);
    // 289-290: GetValueInfoName, GetValueInfoTypeInfo
    void *_Nullable _unused_289_290[2];
    /* 291 */ const OrtModelEditorApi *_Nullable (*_Nonnull GetModelEditorApi)(void);
    // Later slots exist in the library but are not declared: Tern never reads past index 291, and reads past 216
    // only from a table GetApi(CONNX_ORT_EDITOR_API_VERSION) returned (ONNX Runtime 1.22 and later).
};

/// The Model Editor API table (OrtApi::GetModelEditorApi, ONNX Runtime 1.22+): graphs, nodes and initializers built
/// in memory and turned into a session without an ONNX file. Declared up to the last slot Tern calls; positions
/// counted from `struct OrtModelEditorApi` in onnxruntime_c_api.h and checked by OrtApiLayoutTests.
struct OrtModelEditorApi {
    /* 0 */ OrtStatusPtr (*_Nonnull CreateTensorTypeInfo)(
        const OrtTensorTypeAndShapeInfo *tensor_info, OrtTypeInfo *_Nullable *_Nonnull type_info);
    // 1-4: CreateSparseTensorTypeInfo, CreateMapTypeInfo, CreateSequenceTypeInfo, CreateOptionalTypeInfo
    void *_Nullable _unused_1_4[4];
    /* 5 */ OrtStatusPtr (*_Nonnull CreateValueInfo)(
        const char *name, const OrtTypeInfo *type_info, OrtValueInfo *_Nullable *_Nonnull value_info);
    /* 6 */ OrtStatusPtr (*_Nonnull CreateNode)(
        const char *operator_name, const char *domain_name, const char *node_name,
        const char *_Nonnull const *_Nullable input_names, size_t input_names_len,
        const char *_Nonnull const *_Nullable output_names, size_t output_names_len,
        OrtOpAttr *_Nonnull *_Nullable attributes, size_t attribs_len, OrtNode *_Nullable *_Nonnull node);
    /* 7 */ OrtStatusPtr (*_Nonnull CreateGraph)(OrtGraph *_Nullable *_Nonnull graph);
    /* 8 */ OrtStatusPtr (*_Nonnull SetGraphInputs)(
        OrtGraph *graph, OrtValueInfo *_Nullable *_Nonnull inputs, size_t inputs_len);
    /* 9 */ OrtStatusPtr (*_Nonnull SetGraphOutputs)(
        OrtGraph *graph, OrtValueInfo *_Nullable *_Nonnull outputs, size_t outputs_len);
    /* 10 */ OrtStatusPtr (*_Nonnull AddInitializerToGraph)(
        OrtGraph *graph, const char *name, OrtValue *tensor, bool data_is_external);
    /* 11 */ OrtStatusPtr (*_Nonnull AddNodeToGraph)(OrtGraph *graph, OrtNode *node);
    /* 12 */ OrtStatusPtr (*_Nonnull CreateModel)(
        const char *_Nonnull const *_Nonnull domain_names, const int *opset_versions, size_t opset_entries_len,
        OrtModel *_Nullable *_Nonnull model);
    /* 13 */ OrtStatusPtr (*_Nonnull AddGraphToModel)(OrtModel *model, OrtGraph *graph);
    /* 14 */ OrtStatusPtr (*_Nonnull CreateSessionFromModel)(
        const OrtEnv *env, const OrtModel *model, const OrtSessionOptions *options, OrtSession *_Nullable *_Nonnull out);
    // Later slots (CreateModelEditorSession, ...) are not declared: Tern never reads past index 14.
};

#pragma clang assume_nonnull end

#endif  // CONNXRUNTIME_ORT_API_H
