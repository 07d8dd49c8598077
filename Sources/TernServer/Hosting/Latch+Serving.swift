import ServiceLifecycle

extension Latch {
    /// Returns once the latch opens, the task is cancelled, or graceful shutdown begins (each opens it): how a
    /// hosted model serves until it is stopped.
    func waitUntilStopped() async {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await wait()
            } onCancel: {
                open()
            }
        } onGracefulShutdown: {
            self.open()
        }
    }
}
