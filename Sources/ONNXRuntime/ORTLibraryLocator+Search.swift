extension ORTLibraryLocator {
    /// The places tried so far and why each failed.
    struct Search {
        private(set) var failures: [String] = []

        mutating func note(_ place: String, _ reason: String) {
            failures.append("\(place): \(reason)")
        }

        /// Loads `path`, or records why it could not.
        mutating func load(_ place: String, _ path: String) -> ORTLibrary? {
            switch ORTLibrary.open(path) {
            case .success(let library):
                return library
            case .failure(let failure):
                note("\(place) \(path)", failure.description)
                return nil
            }
        }

        func report() -> String {
            "no usable ONNX Runtime library found; looked in, in order:\n"
                + failures.map { "  - \($0)" }.joined(separator: "\n")
                + "\nRun scripts/setup-onnxruntime, or pass --onnxruntime-library / set "
                + "\(ORTLibraryLocator.environmentVariable) to the path of \(ORTLibraryLocator.libraryFileName)."
        }
    }
}
