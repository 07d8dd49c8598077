internal import CONNXRuntime

extension ORTError {
    /// Reads ONNX Runtime's code and message out of `status`, then releases it.
    init(consuming status: OpaquePointer, api: UnsafePointer<OrtApi>) {
        defer { api.pointee.ReleaseStatus(status) }
        let code = api.pointee.GetErrorCode(status)
        self.init(
            code: Code(ortRawValue: Int32(bitPattern: code.rawValue)),
            message: String(cString: api.pointee.GetErrorMessage(status))
        )
    }
}

extension ORTLibrary {
    /// Throws the `ORTError` an ORT call returned, releasing its status; does nothing on success (NULL).
    func check(_ status: OpaquePointer?) throws(ORTError) {
        if let status {
            throw ORTError(consuming: status, api: api)
        }
    }
}
