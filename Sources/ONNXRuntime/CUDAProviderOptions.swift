internal import CONNXRuntime

/// An `OrtCUDAProviderOptionsV2`: CUDA settings handed to `SessionOptionsAppendExecutionProvider_CUDA_V2`.
///
/// Only CUDA-enabled ONNX Runtime builds can create one; the CPU build fails in ``init(library:)`` with ORT's
/// "not enabled in this build" error.
final class CUDAProviderOptions {
    let library: ORTLibrary
    let handle: OpaquePointer

    init(library: ORTLibrary) throws(ORTError) {
        var handle: OpaquePointer?
        try library.check(library.api.pointee.CreateCUDAProviderOptions(&handle))
        guard let handle else {
            throw ORTError(code: .fail, message: "CreateCUDAProviderOptions returned no options")
        }
        self.library = library
        self.handle = handle
    }

    deinit {
        library.api.pointee.ReleaseCUDAProviderOptions(handle)
    }

    /// Sets options by ORT's string keys, e.g. `["device_id": "1"]`.
    func update(_ settings: [(key: String, value: String)]) throws(ORTError) {
        let keys = CStringArray(settings.map(\.key))
        let values = CStringArray(settings.map(\.value))
        try library.check(
            library.api.pointee.UpdateCUDAProviderOptions(handle, keys.baseAddress, values.baseAddress, settings.count)
        )
    }
}
