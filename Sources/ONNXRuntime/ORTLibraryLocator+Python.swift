import Foundation

extension ORTLibraryLocator {
    /// Why asking a Python interpreter for the `onnxruntime` package failed.
    struct PythonProbeFailure: Error {
        let message: String
    }

    /// Asks `command` (looked up on `PATH`) where the `onnxruntime` package is, killing it after `timeout`.
    static func pythonPackageDirectory(command: String, timeout: Duration) -> Result<String, PythonProbeFailure> {
        runPython(command, "import onnxruntime, os; print(os.path.dirname(onnxruntime.__file__))", timeout: timeout)
    }

    /// Runs `script` with the interpreter `command` (looked up on `PATH`), killing it after `timeout`; returns what
    /// it printed, trimmed, or why it failed (the last line of its traceback).
    static func runPython(_ command: String, _ script: String, timeout: Duration) -> Result<String, PythonProbeFailure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command, "-c", script]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            return .failure(PythonProbeFailure(message: "could not start /usr/bin/env \(command): \(error)"))
        }
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
        if exited.wait(timeout: .now() + .milliseconds(milliseconds)) == .timedOut {
            process.terminate()
            if exited.wait(timeout: .now() + .seconds(1)) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
            return .failure(PythonProbeFailure(message: "timed out after \(timeout)"))
        }
        let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            // The last line of a traceback ("ModuleNotFoundError: ...") or env's "No such file" says it all.
            let reason = stderr.split(whereSeparator: \.isNewline).last.map(String.init) ?? "no output"
            return .failure(PythonProbeFailure(message: "exit status \(process.terminationStatus): \(reason)"))
        }
        let directory = stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !directory.isEmpty else {
            return .failure(PythonProbeFailure(message: "printed nothing"))
        }
        return .success(directory)
    }
}
