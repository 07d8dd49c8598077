/// Why a model could not be loaded: always names the file (or directory) and the problem.
public struct ModelLoadError: Error, CustomStringConvertible, Sendable {
    /// The file or directory at fault.
    public let path: String
    /// What is wrong with it.
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
