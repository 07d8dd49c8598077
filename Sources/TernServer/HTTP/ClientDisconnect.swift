import NIOCore
import Synchronization

/// Cancels a request's work when its client hangs up (closes its side, or the whole connection), so
/// queued inputs of clients that gave up never reach an engine. Hummingbird does not cancel handlers on
/// disconnect by itself.
///
/// Each connection gets one `closeFuture` callback, the first time one of its requests is watched;
/// requests on a kept-alive connection only add and remove an entry here, so nothing accumulates.
final class ClientDisconnect: Sendable {
    static let shared = ClientDisconnect()

    private struct Connection {
        var watchers: [UInt64: @Sendable () -> Void] = [:]
    }

    private struct State {
        var connections: [ObjectIdentifier: Connection] = [:]
        var nextToken: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Runs `body` in a task that is cancelled if `channel` closes first (or if the caller is cancelled).
    func run<T: Sendable>(on channel: any Channel, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let token = watch(channel) { task.cancel() }
        defer { unwatch(channel, token) }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    private func watch(_ channel: any Channel, _ onClose: @escaping @Sendable () -> Void) -> UInt64 {
        let id = ObjectIdentifier(channel)
        let (token, isNewConnection) = state.withLock { state in
            state.nextToken += 1
            let isNew = state.connections[id] == nil
            state.connections[id, default: Connection()].watchers[state.nextToken] = onClose
            return (state.nextToken, isNew)
        }
        if isNewConnection {
            channel.closeFuture.whenComplete { [self] _ in closed(id) }
        }
        return token
    }

    private func unwatch(_ channel: any Channel, _ token: UInt64) {
        let id = ObjectIdentifier(channel)
        state.withLock { state in
            _ = state.connections[id]?.watchers.removeValue(forKey: token)
        }
    }

    /// The client closed its sending side: whatever it is waiting for is abandoned.
    func clientHungUp(_ channel: any Channel) {
        closed(ObjectIdentifier(channel))
    }

    private func closed(_ id: ObjectIdentifier) {
        let watchers = state.withLock { $0.connections.removeValue(forKey: id)?.watchers.values.map { $0 } ?? [] }
        for cancel in watchers { cancel() }
    }
}

/// Tells `ClientDisconnect` when the client closes its side of the connection. Hummingbird allows
/// remote half-closure, so a client that hangs up shows up as `ChannelEvent.inputClosed`, not as a
/// closed channel, until the server next writes.
final class InputClosedHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            ClientDisconnect.shared.clientHungUp(context.channel)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
