import CONNXRuntime
import Testing

/// The slot positions of Tern's `OrtApi` declaration, checked against the public header.
///
/// Expected indices come from counting the members of `struct OrtApi` in ONNX Runtime's public header
/// `onnxruntime_c_api.h` (ORT_API_VERSION 18 copy in github.com/yalue/onnxruntime_go; the table is append-only,
/// so later headers keep these positions). The count agrees with the static_asserts ONNX Runtime keeps in
/// onnxruntime/core/session/onnxruntime_c_api.cc: ReleaseCustomOpDomain == 101, ReleaseModelMetadata == 118,
/// AddFreeDimensionOverrideByName == 124, ReleaseAvailableProviders == 126, SetGlobalSpinControl == 149,
/// ReleaseArenaCfg == 157, GetCurrentGpuDeviceId == 161, CreateSessionFromArrayWithPrepackedWeightsContainer == 169,
/// GetSparseTensorIndices == 191, SynchronizeBoundOutputs == 203, SessionOptionsAppendExecutionProvider_MIGraphX
/// == 209, ReleaseKernelInfo == 218 (so SessionOptionsAppendExecutionProvider, two before it, is 216).
@Suite struct OrtApiLayoutTests {
    static let pointerSize = MemoryLayout<UnsafeRawPointer>.stride

    static func index(_ slot: PartialKeyPath<OrtApi>) -> Int? {
        MemoryLayout<OrtApi>.offset(of: slot).map { $0 / pointerSize }
    }

    static func size<Field>(of field: KeyPath<OrtApi, Field>) -> Int {
        MemoryLayout<Field>.size
    }

    @Test func everyDeclaredSlotSitsAtItsHeaderIndex() {
        let slots: [(name: String, slot: PartialKeyPath<OrtApi>, index: Int)] = [
            ("GetErrorCode", \.GetErrorCode, 1),
            ("GetErrorMessage", \.GetErrorMessage, 2),
            ("CreateEnv", \.CreateEnv, 3),
            ("CreateSession", \.CreateSession, 7),
            ("Run", \.Run, 9),
            ("CreateSessionOptions", \.CreateSessionOptions, 10),
            ("DisableCpuMemArena", \.DisableCpuMemArena, 19),
            ("SetSessionGraphOptimizationLevel", \.SetSessionGraphOptimizationLevel, 23),
            ("SetIntraOpNumThreads", \.SetIntraOpNumThreads, 24),
            ("SetInterOpNumThreads", \.SetInterOpNumThreads, 25),
            ("SessionGetInputCount", \.SessionGetInputCount, 30),
            ("SessionGetOutputCount", \.SessionGetOutputCount, 31),
            ("SessionGetInputTypeInfo", \.SessionGetInputTypeInfo, 33),
            ("SessionGetOutputTypeInfo", \.SessionGetOutputTypeInfo, 34),
            ("SessionGetInputName", \.SessionGetInputName, 36),
            ("SessionGetOutputName", \.SessionGetOutputName, 37),
            ("CreateRunOptions", \.CreateRunOptions, 39),
            ("CreateTensorAsOrtValue", \.CreateTensorAsOrtValue, 48),
            ("CreateTensorWithDataAsOrtValue", \.CreateTensorWithDataAsOrtValue, 49),
            ("GetTensorMutableData", \.GetTensorMutableData, 51),
            ("FillStringTensor", \.FillStringTensor, 52),
            ("GetStringTensorDataLength", \.GetStringTensorDataLength, 53),
            ("GetStringTensorContent", \.GetStringTensorContent, 54),
            ("CastTypeInfoToTensorInfo", \.CastTypeInfoToTensorInfo, 55),
            ("GetOnnxTypeFromTypeInfo", \.GetOnnxTypeFromTypeInfo, 56),
            ("GetTensorElementType", \.GetTensorElementType, 60),
            ("GetDimensionsCount", \.GetDimensionsCount, 61),
            ("GetDimensions", \.GetDimensions, 62),
            ("GetTensorTypeAndShape", \.GetTensorTypeAndShape, 65),
            ("GetValueType", \.GetValueType, 67),
            ("CreateCpuMemoryInfo", \.CreateCpuMemoryInfo, 69),
            ("AllocatorFree", \.AllocatorFree, 76),
            ("GetAllocatorWithDefaultOptions", \.GetAllocatorWithDefaultOptions, 78),
            ("ReleaseEnv", \.ReleaseEnv, 92),
            ("ReleaseStatus", \.ReleaseStatus, 93),
            ("ReleaseMemoryInfo", \.ReleaseMemoryInfo, 94),
            ("ReleaseSession", \.ReleaseSession, 95),
            ("ReleaseValue", \.ReleaseValue, 96),
            ("ReleaseRunOptions", \.ReleaseRunOptions, 97),
            ("ReleaseTypeInfo", \.ReleaseTypeInfo, 98),
            ("ReleaseTensorTypeAndShapeInfo", \.ReleaseTensorTypeAndShapeInfo, 99),
            ("ReleaseSessionOptions", \.ReleaseSessionOptions, 100),
            ("GetAvailableProviders", \.GetAvailableProviders, 125),
            ("ReleaseAvailableProviders", \.ReleaseAvailableProviders, 126),
            // Fourth after ReleaseAvailableProviders (126): the three string-tensor slots come first.
            ("AddSessionConfigEntry", \.AddSessionConfigEntry, 130),
            // Between ReleaseArenaCfg (157) and CreateSessionFromArrayWithPrepackedWeightsContainer (169).
            ("AddRunConfigEntry", \.AddRunConfigEntry, 165),
            ("SessionOptionsAppendExecutionProvider_CUDA_V2", \.SessionOptionsAppendExecutionProvider_CUDA_V2, 204),
            ("CreateCUDAProviderOptions", \.CreateCUDAProviderOptions, 205),
            ("UpdateCUDAProviderOptions", \.UpdateCUDAProviderOptions, 206),
            ("ReleaseCUDAProviderOptions", \.ReleaseCUDAProviderOptions, 208),
            ("SessionOptionsAppendExecutionProvider", \.SessionOptionsAppendExecutionProvider, 216),
            // The slots the graph builder uses (header API 29; GetModelEditorApi is "\since Version 1.22").
            ("CreateTensorTypeAndShapeInfo", \.CreateTensorTypeAndShapeInfo, 57),
            ("SetTensorElementType", \.SetTensorElementType, 58),
            ("SetDimensions", \.SetDimensions, 59),
            ("CreateOpAttr", \.CreateOpAttr, 211),
            ("ReleaseOpAttr", \.ReleaseOpAttr, 212),
            ("SetSymbolicDimensions", \.SetSymbolicDimensions, 271),
            ("ReleaseValueInfo", \.ReleaseValueInfo, 285),
            ("ReleaseNode", \.ReleaseNode, 286),
            ("ReleaseGraph", \.ReleaseGraph, 287),
            ("ReleaseModel", \.ReleaseModel, 288),
            ("GetModelEditorApi", \.GetModelEditorApi, 291),
        ]
        for (name, slot, expected) in slots {
            #expect(Self.index(slot) == expected, "OrtApi.\(name)")
        }
    }

    @Test func paddingFillsTheGapsExactly() {
        // Each padding array starts at the index in its name and holds (last - first + 1) slots.
        let gaps: [(slot: PartialKeyPath<OrtApi>, first: Int, last: Int, size: Int)] = [
            (\._unused_0_0, 0, 0, Self.size(of: \._unused_0_0)),
            (\._unused_4_6, 4, 6, Self.size(of: \._unused_4_6)),
            (\._unused_8_8, 8, 8, Self.size(of: \._unused_8_8)),
            (\._unused_11_18, 11, 18, Self.size(of: \._unused_11_18)),
            (\._unused_20_22, 20, 22, Self.size(of: \._unused_20_22)),
            (\._unused_26_29, 26, 29, Self.size(of: \._unused_26_29)),
            (\._unused_32_32, 32, 32, Self.size(of: \._unused_32_32)),
            (\._unused_35_35, 35, 35, Self.size(of: \._unused_35_35)),
            (\._unused_38_38, 38, 38, Self.size(of: \._unused_38_38)),
            (\._unused_40_47, 40, 47, Self.size(of: \._unused_40_47)),
            (\._unused_50_50, 50, 50, Self.size(of: \._unused_50_50)),
            (\._unused_63_64, 63, 64, Self.size(of: \._unused_63_64)),
            (\._unused_66_66, 66, 66, Self.size(of: \._unused_66_66)),
            (\._unused_68_68, 68, 68, Self.size(of: \._unused_68_68)),
            (\._unused_70_75, 70, 75, Self.size(of: \._unused_70_75)),
            (\._unused_77_77, 77, 77, Self.size(of: \._unused_77_77)),
            (\._unused_79_91, 79, 91, Self.size(of: \._unused_79_91)),
            (\._unused_101_124, 101, 124, Self.size(of: \._unused_101_124)),
            (\._unused_127_129, 127, 129, Self.size(of: \._unused_127_129)),
            (\._unused_131_164, 131, 164, Self.size(of: \._unused_131_164)),
            (\._unused_166_203, 166, 203, Self.size(of: \._unused_166_203)),
            (\._unused_207_207, 207, 207, Self.size(of: \._unused_207_207)),
            (\._unused_209_210, 209, 210, Self.size(of: \._unused_209_210)),
            (\._unused_213_215, 213, 215, Self.size(of: \._unused_213_215)),
            (\._unused_217_270, 217, 270, Self.size(of: \._unused_217_270)),
            (\._unused_272_284, 272, 284, Self.size(of: \._unused_272_284)),
            (\._unused_289_290, 289, 290, Self.size(of: \._unused_289_290)),
        ]
        for gap in gaps {
            #expect(Self.index(gap.slot) == gap.first, "padding \(gap.first)-\(gap.last) starts at \(gap.first)")
            #expect(gap.size == (gap.last - gap.first + 1) * Self.pointerSize, "padding \(gap.first)-\(gap.last) size")
        }
    }

    @Test func tableEndsAfterTheLastDeclaredSlot() {
        // Slots 0 through 291, nothing more and no hidden padding.
        #expect(MemoryLayout<OrtApi>.size == 292 * Self.pointerSize)
        #expect(MemoryLayout<OrtApi>.alignment == Self.pointerSize)
    }

    @Test func modelEditorSlotsSitAtTheirHeaderIndices() {
        // Counted from `struct OrtModelEditorApi` (full build: no ORT_MINIMAL_BUILD placeholder member).
        func index(_ slot: PartialKeyPath<OrtModelEditorApi>) -> Int? {
            MemoryLayout<OrtModelEditorApi>.offset(of: slot).map { $0 / Self.pointerSize }
        }
        let slots: [(name: String, slot: PartialKeyPath<OrtModelEditorApi>, index: Int)] = [
            ("CreateTensorTypeInfo", \.CreateTensorTypeInfo, 0),
            ("CreateValueInfo", \.CreateValueInfo, 5),
            ("CreateNode", \.CreateNode, 6),
            ("CreateGraph", \.CreateGraph, 7),
            ("SetGraphInputs", \.SetGraphInputs, 8),
            ("SetGraphOutputs", \.SetGraphOutputs, 9),
            ("AddInitializerToGraph", \.AddInitializerToGraph, 10),
            ("AddNodeToGraph", \.AddNodeToGraph, 11),
            ("CreateModel", \.CreateModel, 12),
            ("AddGraphToModel", \.AddGraphToModel, 13),
            ("CreateSessionFromModel", \.CreateSessionFromModel, 14),
        ]
        for (name, slot, expected) in slots {
            #expect(index(slot) == expected, "OrtModelEditorApi.\(name)")
        }
        #expect(index(\._unused_1_4) == 1)
        #expect(MemoryLayout<OrtModelEditorApi>.size == 15 * Self.pointerSize)
    }

    @Test func apiBaseHasItsTwoFixedSlots() {
        // OrtApiBase { GetApi; GetVersionString; } never changes (static_asserts in onnxruntime_c_api.cc).
        #expect(MemoryLayout<OrtApiBase>.offset(of: \.GetApi) == 0)
        #expect(MemoryLayout<OrtApiBase>.offset(of: \.GetVersionString) == Self.pointerSize)
        #expect(MemoryLayout<OrtApiBase>.size == 2 * Self.pointerSize)
    }
}
