internal import CONNXRuntime

extension ORTLibrary {
    /// The execution providers compiled into this library, in ONNX Runtime's own names and order
    /// (e.g. `["AzureExecutionProvider", "CPUExecutionProvider"]` for the CPU wheel).
    ///
    /// A provider being listed does not guarantee it can start: CUDA, for one, still needs its driver and
    /// libraries at session creation.
    public func availableProviders() throws(ORTError) -> [String] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var count: Int32 = 0
        try check(api.pointee.GetAvailableProviders(&names, &count))
        defer {
            // Documented never to fail; release a status anyway rather than leak one.
            if let status = api.pointee.ReleaseAvailableProviders(names, count) {
                api.pointee.ReleaseStatus(status)
            }
        }
        guard let names else { return [] }
        return (0..<Int(count)).compactMap { names[$0].map { String(cString: $0) } }
    }
}
