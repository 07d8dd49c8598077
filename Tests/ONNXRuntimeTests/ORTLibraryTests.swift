import CONNXRuntime
import Foundation
import Testing

@testable import ONNXRuntime

@Suite struct ORTLibraryTests {
    @Test func loadsTheRepositoryLibraryAndReportsItsVersion() throws {
        let library = try Fixtures.library()
        #expect(library.version == "1.31.1")
        #expect(library.path == Fixtures.libraryPath)
        #expect(ORTLibrary.apiVersion == 12)
    }

    @Test func theRequestedVersionServesTheSameTableAsVersion29() throws {
        // ONNX Runtime hands out one table for every version it supports, so asking for the lowest version that has
        // our slots loses nothing against the header's version 29.
        let library = try Fixtures.library()
        let handle = try #require(dlopen(Fixtures.libraryPath, RTLD_NOW | RTLD_LOCAL))
        let symbol = try #require(dlsym(handle, CONNX_ORT_ENTRY_POINT))
        let base = try #require(unsafeBitCast(symbol, to: OrtGetApiBaseFunction.self)())
        let version29 = try #require(base.pointee.GetApi(29))
        #expect(version29 == library.api)
    }

    @Test func listsTheProvidersOfTheCPUBuild() throws {
        let providers = try Fixtures.library().availableProviders()
        #expect(providers.contains("CPUExecutionProvider"))
        #expect(!providers.contains("CUDAExecutionProvider"))
    }

    @Test func missingFileIsReportedAsNotFound() {
        let error = #expect(throws: ORTError.self) { try ORTLibrary.load(path: "/nonexistent/libonnxruntime.so") }
        #expect(error?.code == .libraryNotLoaded)
        #expect(error?.message == "cannot load ONNX Runtime from /nonexistent/libonnxruntime.so: not found")
    }

    @Test func aFileThatIsNotALibraryReportsTheDlopenError() throws {
        let modelPath = try Fixtures.model(Fixtures.miniLMPath)
        let error = #expect(throws: ORTError.self) { try ORTLibrary.load(path: modelPath) }
        #expect(error?.code == .libraryNotLoaded)
        #expect(error?.message.contains("dlopen failed") == true)
    }

    @Test func aLibraryWithoutTheEntryPointReportsTheMissingSymbol() {
        // libm is on every Linux system and is not ONNX Runtime.
        let error = #expect(throws: ORTError.self) { try ORTLibrary.load(path: "libm.so.6") }
        #expect(error?.code == .libraryNotLoaded)
        #expect(error?.message.contains("missing symbol OrtGetApiBase") == true)
    }

    @Test func environmentsCanBeCreatedAndReleased() throws {
        // CreateEnv joins ORT's reference-counted process-wide environment; deinit calls ReleaseEnv.
        let library = try Fixtures.library()
        var environment: Environment? = try Environment(library: library, logLevel: .fatal, logID: "first")
        #expect(environment?.logID == "first")
        let second = try Environment(library: library, logLevel: .error, logID: "second")
        environment = nil
        #expect(second.logLevel == .error)
    }

    @Test func ortErrorsCarryTheCodeNameAndNumber() {
        let error = ORTError(code: .noSuchFile, message: "gone")
        #expect(error.description == "ORT_NO_SUCHFILE (3): gone")
        #expect(ORTError.Code(ortRawValue: 42).name == "ORT_ERROR_42")
        #expect(ORTError.Code.providerUnavailable.ortRawValue == nil)
        #expect(ORTError.Code.providerUnavailable.description == "PROVIDER_UNAVAILABLE")
    }
}
