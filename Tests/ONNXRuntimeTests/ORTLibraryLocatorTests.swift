import Foundation
import Testing

@testable import ONNXRuntime

@Suite struct ORTLibraryLocatorTests {
    /// A locator that can find nothing: every place it looks is empty or bogus.
    static func isolatedLocator(explicitPath: String?, scratch: URL) -> ORTLibraryLocator {
        var locator = ORTLibraryLocator(explicitPath: explicitPath)
        locator.environment = ["VIRTUAL_ENV": scratch.appendingPathComponent("venv").path]
        locator.currentDirectory = scratch.path
        locator.executableDirectory = scratch.appendingPathComponent("bin").path
        locator.pythonCommands = ["tern-no-such-python"]
        locator.systemLibraryNames = ["libtern-no-such-onnxruntime.so"]
        return locator
    }

    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tern-locator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func anExplicitBadPathFailsWithEveryCandidateListed() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let locator = Self.isolatedLocator(explicitPath: "/nonexistent/libonnxruntime.so", scratch: scratch)

        let error = #expect(throws: ORTError.self) { try locator.locate() }
        #expect(error?.code == .libraryNotLoaded)
        let message = error?.message ?? ""
        let expectedLines = [
            "explicit path /nonexistent/libonnxruntime.so: not found",
            "$TERN_ONNXRUNTIME_LIBRARY: not set",
            "current directory's .onnxruntime/: \(scratch.path)/.onnxruntime/libonnxruntime.so: not found",
            ".onnxruntime/ above the executable: no other .onnxruntime/ folder in \(scratch.path)/bin or its ancestors",
            "$VIRTUAL_ENV (\(scratch.path)/venv): no onnxruntime/capi/libonnxruntime.so* under lib/python*/",
            "`tern-no-such-python -c 'import onnxruntime'`: exit status 127",
            "system loader path: libtern-no-such-onnxruntime.so: dlopen failed: libtern-no-such-onnxruntime.so",
            "Run scripts/setup-onnxruntime",
        ]
        for line in expectedLines {
            #expect(message.contains(line), "missing from the report: \(line)\n\(message)")
        }
    }

    @Test func theEnvironmentVariableIsTriedAfterTheExplicitPath() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var locator = Self.isolatedLocator(explicitPath: "/nonexistent/libonnxruntime.so", scratch: scratch)
        locator.environment[ORTLibraryLocator.environmentVariable] = try Fixtures.library().path
        #expect(try locator.locate().path == Fixtures.libraryPath)
    }

    @Test func findsTheRepositoryFolderFromTheCurrentDirectory() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        _ = try Fixtures.library()
        var locator = Self.isolatedLocator(explicitPath: nil, scratch: scratch)
        locator.currentDirectory = Fixtures.repositoryRoot.path
        #expect(try locator.locate().path == Fixtures.libraryPath)
    }

    @Test func findsTheRepositoryFolderAboveTheExecutable() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        _ = try Fixtures.library()
        var locator = Self.isolatedLocator(explicitPath: nil, scratch: scratch)
        locator.executableDirectory = Fixtures.path(".build/release")
        #expect(try locator.locate().path == Fixtures.libraryPath)
    }

    @Test func findsThePythonPackageUnderVirtualEnv() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let venv = Fixtures.path(".venv")
        try #require(
            FileManager.default.fileExists(atPath: venv),
            "no .venv at \(venv): install scripts/requirements.txt into it"
        )
        var locator = Self.isolatedLocator(explicitPath: nil, scratch: scratch)
        locator.environment["VIRTUAL_ENV"] = venv
        let library = try locator.locate()
        #expect(library.path.hasPrefix(venv + "/lib/python"))
        #expect(library.path.contains("/site-packages/onnxruntime/capi/libonnxruntime.so"))
    }

    @Test func asksPythonWhereTheOnnxruntimePackageIs() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let python = Fixtures.path(".venv/bin/python")
        try #require(
            FileManager.default.fileExists(atPath: python),
            "no \(python): install scripts/requirements.txt into .venv"
        )
        var locator = Self.isolatedLocator(explicitPath: nil, scratch: scratch)
        locator.pythonCommands = [python]
        locator.pythonTimeout = .seconds(60)
        let library = try locator.locate()
        #expect(library.path.contains("/site-packages/onnxruntime/capi/libonnxruntime.so"))
    }

    @Test func aHangingPythonIsKilledAfterTheTimeout() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let script = scratch.appendingPathComponent("slow-python")
        try "#!/bin/sh\nexec sleep 30\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)

        let started = ContinuousClock.now
        let result = ORTLibraryLocator.pythonPackageDirectory(command: script.path, timeout: .milliseconds(300))
        #expect(ContinuousClock.now - started < .seconds(10))
        guard case .failure(let failure) = result else {
            Issue.record("a hanging interpreter should fail the probe")
            return
        }
        #expect(failure.message.contains("timed out"))
    }

    @Test func packagedLibrariesPreferTheShortestName() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let capi = scratch.appendingPathComponent("capi")
        try FileManager.default.createDirectory(at: capi, withIntermediateDirectories: true)
        for name in ["libonnxruntime.so.1.31.1", "libonnxruntime.so", "libonnxruntime_providers_shared.so", "other.py"]
        {
            #expect(FileManager.default.createFile(atPath: capi.appendingPathComponent(name).path, contents: Data()))
        }
        #expect(
            ORTLibraryLocator.packagedLibraries(in: scratch.path) == [
                capi.appendingPathComponent("libonnxruntime.so").path,
                capi.appendingPathComponent("libonnxruntime.so.1.31.1").path,
            ]
        )
    }
}
