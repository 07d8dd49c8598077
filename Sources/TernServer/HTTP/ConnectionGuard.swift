import NIOCore
import NIOHTTPTypes
import Scheduler
import Synchronization

/// Bounds what one connection can hold: a request head must arrive within `headerReadTimeout` of the
/// connection opening or of the previous response ending (a client that trickles a request line and then
/// a header every few seconds is closed, as is a kept-alive connection idle past `idleTimeout`), and at
/// most `maxConnections` connections are open at once (more are closed as soon as they are accepted).
public struct ConnectionLimits: Sendable {
    /// Longest wait for a complete request head.
    public var headerReadTimeout: Duration = .seconds(10)
    /// Longest wait for the next request on a kept-alive connection.
    public var idleTimeout: Duration = .seconds(60)
    /// Most connections open at once.
    public var maxConnections: Int = 10_000

    public init() {}
}

/// Counts the open connections of one listener.
final class ConnectionCounter: Sendable {
    private let open = Atomic<Int>(0)

    /// Takes a slot; false when all `limit` are taken (the slot is then not held).
    func acquire(limit: Int) -> Bool {
        let now = open.add(1, ordering: .relaxed).newValue
        if now > limit {
            open.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func release() { open.subtract(1, ordering: .relaxed) }
}

/// One per connection, after the HTTP decoder: arms a timer while the server waits for a request head,
/// and holds the connection's slot in the counter.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private let counter: ConnectionCounter
    private var holdsSlot = false
    private var timer: Scheduled<Void>?
    /// Requests whose head arrived and whose response has not ended.
    private var inFlight = 0

    init(limits: ConnectionLimits, counter: ConnectionCounter) {
        self.limits = limits
        self.counter = counter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard counter.acquire(limit: limits.maxConnections) else {
            context.close(promise: nil)
            return
        }
        holdsSlot = true
        arm(context, after: limits.headerReadTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if holdsSlot {
            holdsSlot = false
            counter.release()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            inFlight += 1
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            inFlight = max(0, inFlight - 1)
            // Kept alive: the next request's head must arrive within the idle timeout.
            if inFlight == 0 { arm(context, after: limits.idleTimeout) }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext, after delay: Duration) {
        timer?.cancel()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(delay.wholeNanoseconds))) {
            channel.close(promise: nil)
        }
    }
}
