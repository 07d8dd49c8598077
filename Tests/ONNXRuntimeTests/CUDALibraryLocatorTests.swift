import Foundation
import Synchronization
import Testing

@testable import ONNXRuntime

/// The CUDA checks on fake layouts: empty files named like the real libraries, and a loader that records what it
/// was asked to open instead of calling `dlopen` (the real loader is exercised end to end by
/// Tests/e2e/test_gpu_runtime.py against the onnxruntime-gpu wheel).
@Suite struct CUDALibraryLocatorTests {
    /// A temporary tree: `ort/` with libonnxruntime.so and the provider libraries, plus whatever a test adds.
    final class Layout {
        let root: URL
        var ort: URL { root.appendingPathComponent("ort") }
        var ortLibrary: String { ort.appendingPathComponent("libonnxruntime.so").path }

        init(providers: [String] = CUDALibraryLocator.providerLibraries) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("cuda-layout-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: ort, withIntermediateDirectories: true)
            try touch(ort.appendingPathComponent("libonnxruntime.so").path)
            for provider in providers { try touch(ort.appendingPathComponent(provider).path) }
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func touch(_ path: String) throws {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path, contents: Data())
        }

        func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

        /// Every CUDA 13 library where NVIDIA's wheels put it under the `nvidia` package folder `nvidia`.
        func touchNvidiaPackages(_ nvidia: String) throws {
            for library in CUDALibraryLocator.cuda13 {
                let package = library.fileName.hasPrefix("libcudnn") ? "cudnn" : "cu13"
                try touch(path("\(nvidia)/\(package)/lib/\(library.fileName)"))
            }
        }
    }

    /// Records every open; paths that exist load, bare names load only when listed in `system`.
    final class Loader: Sendable {
        let opened = Mutex<[String]>([])
        let system: Set<String>
        let failing: Set<String>

        init(system: Set<String> = [CUDALibraryLocator.driverLibrary], failing: Set<String> = []) {
            self.system = system
            self.failing = failing
        }

        func open(_ path: String) -> String? {
            opened.withLock { $0.append(path) }
            if failing.contains(path) { return "\(path): invalid ELF header" }
            if path.contains("/") { return FileManager.default.fileExists(atPath: path) ? nil : "no such file" }
            return system.contains(path) ? nil : "\(path): cannot open shared object file: No such file or directory"
        }
    }

    func locator(_ layout: Layout, _ loader: Loader, environment: [String: String] = [:]) -> CUDALibraryLocator {
        var locator = CUDALibraryLocator(onnxruntimePath: layout.ortLibrary)
        locator.environment = environment
        locator.pythonCommands = []
        locator.open = { loader.open($0) }
        return locator
    }

    @Test func loadsEachLibraryFromTheFirstPlaceThatHasItInDependencyOrder() throws {
        let layout = try Layout()
        // cudart and cuBLASLt in cuda/ beside ONNX Runtime; cuBLAS in both cuda/ and the variable's directory;
        // curand and cuDNN only in the variable's directory; cuFFT and NVRTC nowhere (optional).
        for name in ["libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13"] {
            try layout.touch(layout.path("ort/cuda/\(name)"))
        }
        for name in ["libcublas.so.13", "libcurand.so.10", "libcudnn.so.9"] {
            try layout.touch(layout.path("extra/\(name)"))
        }
        let loader = Loader()
        let loaded = try locator(layout, loader, environment: ["TERN_CUDA_LIBRARY_PATH": "/nonexistent:" + layout.path("extra")])
            .prepare()
        #expect(loaded.map(\.path) == [
            layout.path("ort/cuda/libcudart.so.13"), layout.path("ort/cuda/libcublasLt.so.13"),
            layout.path("ort/cuda/libcublas.so.13"), layout.path("extra/libcurand.so.10"),
            layout.path("extra/libcudnn.so.9"),
        ])
        let opened = loader.opened.withLock { $0 }
        #expect(opened.first == "libcuda.so.1", "the driver is checked before any CUDA library")
        // The optional libraries were asked of the system loader and their absence was no error.
        #expect(opened.contains("libcufft.so.12") && opened.contains("libnvrtc.so.13"))
        #expect(!opened.contains(layout.path("extra/libcublas.so.13")), "the first place that has a library wins")
    }

    @Test func theSystemLoaderIsTheLastResort() throws {
        let layout = try Layout()
        let everything = Set(CUDALibraryLocator.cuda13.map(\.fileName) + [CUDALibraryLocator.driverLibrary])
        let loaded = try locator(layout, Loader(system: everything)).prepare()
        #expect(loaded.map(\.path) == CUDALibraryLocator.cuda13.map(\.fileName))
        #expect(loaded[0].description == "libcudart.so.13 (system loader)")
    }

    @Test func theNvidiaPackagesBesideAPythonOnnxruntimeAreFound() throws {
        let layout = try Layout()
        let capi = "venv/lib/python3.11/site-packages/onnxruntime/capi"
        for provider in CUDALibraryLocator.providerLibraries { try layout.touch(layout.path("\(capi)/\(provider)")) }
        try layout.touch(layout.path("\(capi)/libonnxruntime.so.1.31.1"))
        try layout.touchNvidiaPackages("venv/lib/python3.11/site-packages/nvidia")
        var locator = locator(layout, Loader())
        locator.onnxruntimePath = layout.path("\(capi)/libonnxruntime.so.1.31.1")
        let loaded = try locator.prepare()
        #expect(loaded.count == CUDALibraryLocator.cuda13.count)
        #expect(loaded.last?.path == layout.path("venv/lib/python3.11/site-packages/nvidia/cudnn/lib/libcudnn.so.9"))
        #expect(loaded.first?.path == layout.path("venv/lib/python3.11/site-packages/nvidia/cu13/lib/libcudart.so.13"))
    }

    @Test func pythonsNvidiaNamespacePackageIsAskedForAndSearched() throws {
        // A real python3, run through a wrapper that puts a fake site-packages with an `nvidia` namespace package
        // (no __init__.py, as NVIDIA's wheels install it) on its path.
        let layout = try Layout()
        try layout.touchNvidiaPackages("site/nvidia")
        let wrapper = layout.path("python-wrapper")
        try "#!/bin/sh\nPYTHONPATH='\(layout.path("site"))' exec python3 \"$@\"\n".write(
            toFile: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
        #expect(CUDALibraryLocator.pythonNvidiaRoots(command: wrapper) == [layout.path("site/nvidia")])
        #expect(CUDALibraryLocator.pythonNvidiaRoots(command: "no-such-python-\(UUID().uuidString)").isEmpty)
        var locator = locator(layout, Loader())
        locator.pythonCommands = [wrapper]
        let loaded = try locator.prepare()
        #expect(loaded.first?.path == layout.path("site/nvidia/cu13/lib/libcudart.so.13"))
        #expect(loaded.last?.path == layout.path("site/nvidia/cudnn/lib/libcudnn.so.9"))
    }

    @Test func virtualEnvNvidiaPackagesAreSearched() throws {
        let layout = try Layout()
        try layout.touchNvidiaPackages("env/lib/python3.12/site-packages/nvidia")
        let loaded = try locator(layout, Loader(), environment: ["VIRTUAL_ENV": layout.path("env")]).prepare()
        #expect(loaded.map(\.path).allSatisfy { $0.hasPrefix(layout.path("env/lib/python3.12/site-packages/nvidia/")) })
    }

    @Test func aMissingRequiredLibraryIsNamedWithEveryPlaceLookedIn() throws {
        let layout = try Layout()
        try layout.touch(layout.path("ort/cuda/libcudart.so.13"))
        try layout.touch(layout.path("ort/cuda/libcublasLt.so.13"))
        let error = #expect(throws: ORTError.self) {
            try locator(layout, Loader(), environment: ["TERN_CUDA_LIBRARY_PATH": layout.path("extra")]).prepare()
        }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message == """
            CUDA cannot be used: libcublas.so.13 (cuBLAS) was not found; looked in, in order:
              - cuda/ beside ONNX Runtime: \(layout.path("ort/cuda")): no such file
              - ONNX Runtime's directory: \(layout.path("ort")): no such file
              - $TERN_CUDA_LIBRARY_PATH: \(layout.path("extra")): no such file
              - the system loader: libcublas.so.13: cannot open shared object file: No such file or directory
            Run scripts/setup-onnxruntime --gpu --cuda-libraries, install NVIDIA's CUDA 13 Python packages \
            (pip install 'onnxruntime-gpu[cuda,cudnn]'), or set TERN_CUDA_LIBRARY_PATH
            """)
    }

    @Test func aLibraryThatFailsToLoadIsReportedAndTheSearchGoesOn() throws {
        let layout = try Layout()
        for library in CUDALibraryLocator.cuda13 { try layout.touch(layout.path("ort/cuda/\(library.fileName)")) }
        try layout.touch(layout.path("extra/libcudart.so.13"))
        let broken = layout.path("ort/cuda/libcudart.so.13")
        let loaded = try locator(
            layout, Loader(failing: [broken]), environment: ["TERN_CUDA_LIBRARY_PATH": layout.path("extra")]
        ).prepare()
        #expect(loaded.first?.path == layout.path("extra/libcudart.so.13"))
    }

    @Test func noDriverIsTheFirstCUDAMessage() throws {
        let layout = try Layout()
        let error = #expect(throws: ORTError.self) { try locator(layout, Loader(system: [])).prepare() }
        #expect(error?.message == """
            CUDA cannot be used: the NVIDIA driver library libcuda.so.1 did not load (libcuda.so.1: cannot open \
            shared object file: No such file or directory); this needs a machine with an NVIDIA GPU and its driver \
            installed
            """)
    }

    @Test func aMissingProviderLibraryComesBeforeTheDriver() throws {
        let layout = try Layout(providers: ["libonnxruntime_providers_shared.so"])
        let loader = Loader()
        let error = #expect(throws: ORTError.self) { try locator(layout, loader).prepare() }
        #expect(error?.message == """
            CUDA cannot be used: libonnxruntime_providers_cuda.so is not beside the loaded ONNX Runtime \
            (\(layout.ortLibrary)); looked in \(layout.ort.path). The CPU-only onnxruntime wheel has no CUDA provider: \
            run scripts/setup-onnxruntime --gpu and pass --onnxruntime-library .onnxruntime-gpu/libonnxruntime.so
            """)
        #expect(loader.opened.withLock { $0 }.isEmpty, "nothing is loaded before the provider files are checked")
    }

    @Test func theRealLoaderOnThisMachineReportsTheDriverOrTheNextMissingPiece() throws {
        // Real dlopen: on a machine without the NVIDIA driver (CI) the driver message; with one, whatever comes next.
        let layout = try Layout()
        var locator = CUDALibraryLocator(onnxruntimePath: layout.ortLibrary)
        locator.pythonCommands = []
        locator.environment = [:]
        do {
            let loaded = try locator.prepare()
            #expect(loaded.contains { $0.fileName == "libcudart.so.13" })
        } catch {
            #expect(error.message.hasPrefix("CUDA cannot be used: "))
            if dlopen(CUDALibraryLocator.driverLibrary, RTLD_NOW | RTLD_LOCAL) == nil {
                #expect(error.message.contains("the NVIDIA driver library libcuda.so.1 did not load"))
            }
        }
    }
}

@Suite struct ProviderListTests {
    @Test func parsesPreferenceLists() {
        #expect(ExecutionProvider.list("cuda,cpu") == [.cuda, .cpu])
        #expect(ExecutionProvider.list(" cuda:1 , CPU ") == [.cuda(deviceID: 1), .cpu])
        #expect(ExecutionProvider.list("cpu") == [.cpu])
        #expect(ExecutionProvider.list("cuda,cuda") == nil)
        #expect(ExecutionProvider.list("cuda,,cpu") == nil)
        #expect(ExecutionProvider.list("") == nil)
        #expect(ExecutionProvider.list("cuda,tpu") == nil)
        #expect(ExecutionProvider.list("cuda:0,cuda:1") == [.cuda, .cuda(deviceID: 1)])
        #expect(ExecutionProvider.cuda(deviceID: 1).isCUDA && !ExecutionProvider.cpu.isCUDA)
    }

    @Test func cudaSettingsBecomeONNXRuntimesKeys() {
        let defaults = CUDASettings().providerOptions(device: 1)
        #expect(defaults.map(\.key) == ["device_id", "arena_extend_strategy", "cudnn_conv_algo_search"])
        #expect(defaults.map(\.value) == ["1", "kNextPowerOfTwo", "EXHAUSTIVE"])
        let tuned = CUDASettings(memoryLimit: 2 << 30, arenaExtendStrategy: .sameAsRequested, convolutionAlgorithmSearch: .heuristic)
            .providerOptions(device: 0)
        #expect(tuned.map(\.value) == ["0", "kSameAsRequested", "HEURISTIC", "2147483648"])
        #expect(tuned.last?.key == "gpu_mem_limit")
        #expect(CUDASettings.ConvolutionAlgorithmSearch.default.ortValue == "DEFAULT")
    }

    @Test func aSessionFallsBackToTheNextProviderAndSaysWhy() throws {
        let session = try Fixtures.miniLM(SessionOptions(executionProvider: .cuda, fallbackProviders: [.cpu]))
        #expect(session.executionProvider == .cpu)
        #expect(session.providerFailures.count == 1)
        #expect(session.providerFailures.first?.hasPrefix("cuda: execution provider 'cuda' is not available") == true)
        let first = try Fixtures.miniLM(SessionOptions(executionProvider: .cpu, fallbackProviders: [.cuda]))
        #expect(first.executionProvider == .cpu && first.providerFailures.isEmpty)
    }

    @Test func whenEveryProviderFailsTheLastErrorCarriesTheEarlierOnes() throws {
        let error = #expect(throws: ORTError.self) {
            try Session(
                modelPath: Fixtures.path("README.md"), environment: try Fixtures.environment(),
                options: SessionOptions(executionProvider: .coreml, fallbackProviders: [.cpu]))
        }
        // The CPU provider's own verdict on the file (not a model), then why Core ML was skipped.
        #expect(error?.code != .providerUnavailable)
        #expect(error?.message.contains("(after coreml: execution provider 'coreml' is not available") == true)
    }
}
