import CONNXRuntime
import Foundation
import Testing

@testable import ONNXRuntime

@Suite struct ExecutionProviderTests {
    @Test func parsesCommandLineNames() {
        #expect(ExecutionProvider("cpu") == .cpu)
        #expect(ExecutionProvider("CUDA") == .cuda)
        #expect(ExecutionProvider("cuda:1") == .cuda(deviceID: 1))
        #expect(ExecutionProvider("CUDAExecutionProvider") == .cuda)
        #expect(ExecutionProvider("coreml") == .coreml)
        #expect(ExecutionProvider("tpu") == nil)
        #expect(ExecutionProvider("cuda:-1") == nil)
        #expect(ExecutionProvider.cuda(deviceID: 2).description == "cuda:2")
        #expect(ExecutionProvider.cuda.ortName == "CUDAExecutionProvider")
        #expect(ExecutionProvider.coreml.ortName == "CoreMLExecutionProvider")
    }

    // The CPU build cannot take CUDA or Core ML, so these drive the provider slots directly (bypassing the
    // availability check) and expect ONNX Runtime's own refusal, which names the function that was reached.

    @Test func cudaOptionsSlotsAnswerThatCUDAIsNotInThisBuild() throws {
        let environment = try Fixtures.environment()
        let library = environment.library
        // Slot 205, CreateCUDAProviderOptions.
        let create = #expect(throws: ORTError.self) { try CUDAProviderOptions(library: library) }
        #expect(create?.message.contains("CUDA") == true)

        // Slot 206, UpdateCUDAProviderOptions. Without CUDA the library ignores the options object, so a zeroed
        // stand-in is enough to reach it.
        let standIn = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 64)
        standIn.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
        defer { standIn.deallocate() }
        let keys = CStringArray(["device_id"])
        let values = CStringArray(["0"])
        let update = #expect(throws: ORTError.self) {
            try library.check(
                library.api.pointee.UpdateCUDAProviderOptions(
                    OpaquePointer(standIn),
                    keys.baseAddress,
                    values.baseAddress,
                    1
                )
            )
        }
        #expect(update?.message.contains("CUDA") == true)

        // Slot 204, SessionOptionsAppendExecutionProvider_CUDA_V2.
        let options = try NativeSessionOptions(environment: environment)
        let append = #expect(throws: ORTError.self) {
            try library.check(
                library.api.pointee.SessionOptionsAppendExecutionProvider_CUDA_V2(
                    options.handle,
                    OpaquePointer(standIn)
                )
            )
        }
        #expect(append?.message.contains("AppendExecutionProvider_Cuda") == true)

        // Slot 208, ReleaseCUDAProviderOptions, accepts NULL.
        library.api.pointee.ReleaseCUDAProviderOptions(nil)
    }

    @Test func theGenericAppendSlotNamesTheProvider() throws {
        // Slot 216, SessionOptionsAppendExecutionProvider, as used for Core ML.
        let options = try NativeSessionOptions(environment: try Fixtures.environment())
        let error = #expect(throws: ORTError.self) { try options.appendProvider(named: "CoreML") }
        #expect(error?.message.contains("CoreML") == true)
        let unknown = #expect(throws: ORTError.self) { try options.appendProvider(named: "NoSuchProvider") }
        #expect(unknown?.code == .invalidArgument)
    }
}
