extension ORTLibrary {
    /// Loads ONNX Runtime from the first place that works, in the order ``ORTLibraryLocator`` documents.
    /// - Parameter explicitPath: the `--onnxruntime-library` value, tried first when given.
    /// - Throws: `ORTError` with code `.libraryNotLoaded` listing every place tried and why each failed.
    public static func locate(explicitPath: String?) throws(ORTError) -> ORTLibrary {
        try ORTLibraryLocator(explicitPath: explicitPath).locate()
    }
}
