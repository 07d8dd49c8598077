import Foundation

/// Runs one blocking model load on a thread of its own: loads are rare and long, and must not queue behind
/// (or hold up) the work of a shared thread pool.
enum LoadThread {
    static func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try work() })
            }
            thread.name = "tern-model-load"
            thread.start()
        }
    }
}
