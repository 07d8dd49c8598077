"""Open-loop HTTP load without coordinated omission, a many-connections burst, and closed-loop load (each
connection sends its next request when the previous answer arrives), on raw asyncio sockets.

Open loop: request i is due at start + i / rate whatever happened to earlier requests. It goes out on an idle
keep-alive connection, or on a new one when none is idle, so a slow server never slows the schedule down.
Latency is measured from the request's scheduled time, not from when it was actually written, so time spent
waiting for the generator itself (or a connection) counts against the server as a real client would see it.

Responses are parsed just enough to read the status and headers and skip the body (Content-Length framing;
the server does not use chunked responses). Every outcome is one of: an HTTP status, `conn_error` (refused, reset or
closed before a full response) or `timeout` (no full response within the client timeout).
"""

import asyncio
import os
import resource
import time
from dataclasses import dataclass, field


def raise_nofile_limit(wanted: int) -> int:
    """Raises the soft RLIMIT_NOFILE towards `wanted` (capped by the hard limit); returns the new soft limit.
    Child processes started afterwards (the server) inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def build_request(port: int, body: bytes, path: str = "/v1/embeddings",
                  content_type: str = "application/json") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


class _Connection(asyncio.Protocol):
    """One keep-alive connection carrying one request at a time."""

    def __init__(self):
        self.transport = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.closed = False
        self.reusable = True
        self.headers: dict[str, str] = {}  # the latest complete response's, names lower-cased
        self._head: tuple[int, int, dict[str, str]] | None = None  # (body offset, length, headers) while reading

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        if self._head is None:  # parsed once per response, not again for each chunk of a large body
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
            headers = {":status": lines[0].split(" ", 2)[1]}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            self._head = (end + 4, int(headers.get("content-length", "0")), headers)
        offset, length, headers = self._head
        if len(self.buffer) < offset + length:
            return
        del self.buffer[: offset + length]
        self._head = None
        self.headers = headers
        self.reusable = headers.get("connection", "").lower() != "close"
        self.waiter.set_result(int(headers[":status"]))

    def connection_lost(self, exc):
        self.closed = True
        self.reusable = False
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError(f"closed before a full response: {exc!r}"))

    def send(self, payload: bytes) -> asyncio.Future:
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(payload)
        return self.waiter


async def _exchange(connection: _Connection, payload: bytes, timeout: float) -> str | int:
    """Sends one request and returns its status, 'conn_error' or 'timeout' (closing the connection on both)."""
    loop = asyncio.get_running_loop()
    waiter = connection.send(payload)
    timer = loop.call_later(timeout, lambda: waiter.done() or waiter.set_exception(TimeoutError()))
    try:
        return await waiter
    except TimeoutError:
        connection.reusable = False
        connection.transport.close()
        return "timeout"
    except ConnectionError:
        connection.transport.close()
        return "conn_error"
    finally:
        timer.cancel()


@dataclass
class OpenLoopResult:
    scheduled: int
    seconds: float  # schedule length
    outcomes: dict = field(default_factory=dict)  # status or 'conn_error'/'timeout' -> count
    ok_latencies_ms: list = field(default_factory=list)  # of 200 responses, from the scheduled send time
    other_latencies_ms: list = field(default_factory=list)  # of every other outcome
    max_send_lag_ms: float = 0.0  # how late the generator wrote the latest request relative to its schedule
    connections_opened: int = 0
    peak_open_connections: int = 0
    cpu_seconds: float = 0.0  # this process's CPU time during the run
    wall_seconds: float = 0.0  # until the last response arrived


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _open_loop(port: int, payloads: list[bytes], rate: float, seconds: float, timeout: float) -> OpenLoopResult:
    loop = asyncio.get_running_loop()
    total = int(rate * seconds)
    result = OpenLoopResult(scheduled=total, seconds=seconds)
    idle: list[_Connection] = []
    open_now = 0

    async def one(index: int, due: float) -> None:
        nonlocal open_now
        connection = None
        while idle:
            candidate = idle.pop()
            if not candidate.closed:
                connection = candidate
                break
            open_now -= 1  # the server closed it while idle
        try:
            if connection is None:
                open_now += 1
                result.connections_opened += 1
                result.peak_open_connections = max(result.peak_open_connections, open_now)
                try:
                    _, connection = await asyncio.wait_for(
                        loop.create_connection(_Connection, "127.0.0.1", port), timeout)
                except (OSError, asyncio.TimeoutError) as error:
                    open_now -= 1
                    outcome = "timeout" if isinstance(error, asyncio.TimeoutError) else "conn_error"
                    record(outcome, due)
                    return
            lag = loop.time() - due
            if lag > result.max_send_lag_ms / 1e3:
                result.max_send_lag_ms = lag * 1e3
            outcome = await _exchange(connection, payloads[index % len(payloads)], timeout)
            record(outcome, due)
        finally:
            if connection is not None:
                if connection.reusable and not connection.closed:
                    idle.append(connection)
                else:
                    open_now -= 1
                    connection.transport.close()

    def record(outcome, due: float) -> None:
        latency_ms = (loop.time() - due) * 1e3
        result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1
        (result.ok_latencies_ms if outcome == 200 else result.other_latencies_ms).append(latency_ms)

    cpu_start, wall_start = time.process_time(), time.monotonic()
    start = loop.time() + 0.05
    tasks = []
    for index in range(total):
        due = start + index / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(loop.create_task(one(index, due)))
    await asyncio.gather(*tasks)
    result.cpu_seconds = time.process_time() - cpu_start
    result.wall_seconds = time.monotonic() - wall_start
    for connection in idle:
        connection.transport.close()
    return result


def open_loop(port: int, payloads: list[bytes], rate: float, seconds: float, timeout: float = 35.0) -> OpenLoopResult:
    """Issues `rate` requests per second for `seconds` (payloads cycled) and waits for every answer."""
    return asyncio.run(_open_loop(port, payloads, rate, seconds, timeout))


@dataclass
class BurstResult:
    connections: int
    connect_errors: int = 0
    outcomes: dict = field(default_factory=dict)
    latencies_ms: list = field(default_factory=list)  # from the common send instant to each answer
    connect_seconds: float = 0.0
    wall_seconds: float = 0.0


async def _burst(port: int, payloads: list[bytes], connections: int, timeout: float) -> BurstResult:
    loop = asyncio.get_running_loop()
    result = BurstResult(connections=connections)

    async def connect():
        _, connection = await asyncio.wait_for(loop.create_connection(_Connection, "127.0.0.1", port), timeout)
        return connection

    started = time.monotonic()
    opened = await asyncio.gather(*(connect() for _ in range(connections)), return_exceptions=True)
    result.connect_seconds = time.monotonic() - started
    live = [c for c in opened if isinstance(c, _Connection)]
    result.connect_errors = len(opened) - len(live)
    await asyncio.sleep(0.2)  # let the server notice every connection before the requests land
    sent_at = loop.time()

    async def one(index: int, connection: _Connection):
        if connection.closed:
            outcome = "conn_error"  # the server dropped the idle connection before the request went out
        else:
            outcome = await _exchange(connection, payloads[index % len(payloads)], timeout)
        result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1
        result.latencies_ms.append((loop.time() - sent_at) * 1e3)
        connection.transport.close()

    await asyncio.gather(*(one(i, c) for i, c in enumerate(live)))
    result.wall_seconds = time.monotonic() - started
    return result


def burst(port: int, payloads: list[bytes], connections: int = 1000, timeout: float = 35.0) -> BurstResult:
    """Opens `connections` connections at once, then sends one request on each at the same moment."""
    raise_nofile_limit(connections + 256)
    return asyncio.run(_burst(port, payloads, connections, timeout))


@dataclass
class ClosedLoopResult:
    connections: int
    seconds: float  # the measured window
    outcomes: dict = field(default_factory=dict)  # status, 'wrong_type', 'conn_error' or 'timeout' -> count
    ok_latencies_ms: list = field(default_factory=list)  # of accepted answers, from the request's start
    headers: dict = field(default_factory=dict)  # name -> values of the asked-for headers of accepted answers
    connections_opened: int = 0
    cpu_seconds: float = 0.0  # this process's CPU time during the window

    @property
    def accepted(self) -> int:
        return self.outcomes.get(200, 0)

    @property
    def errors(self) -> int:
        return sum(count for outcome, count in self.outcomes.items() if outcome != 200)


async def _closed_loop(port: int, payloads: list[bytes], connections: int, seconds: float, warmup: float,
                       timeout: float, content_type: str | None, keep_headers: tuple[str, ...]) -> ClosedLoopResult:
    loop = asyncio.get_running_loop()
    result = ClosedLoopResult(connections=connections, seconds=seconds)
    result.headers = {name: [] for name in keep_headers}
    window_start = loop.time() + warmup
    window_end = window_start + seconds

    def record(outcome, started: float, connection: _Connection | None) -> None:
        finished = loop.time()
        if not window_start <= finished <= window_end:
            return  # warm-up, or the answer to a request still in flight when the window closed
        result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1
        if outcome == 200:
            result.ok_latencies_ms.append((finished - started) * 1e3)
            for name in keep_headers:
                if name in connection.headers:
                    result.headers[name].append(connection.headers[name])

    async def client(index: int) -> None:
        connection = None
        sent = index
        while loop.time() < window_end:
            started = loop.time()  # a new connection's set-up counts in the latency, as a client sees it
            if connection is None or connection.closed or not connection.reusable:
                if connection is not None:
                    connection.transport.close()
                try:
                    _, connection = await asyncio.wait_for(
                        loop.create_connection(_Connection, "127.0.0.1", port), timeout)
                    result.connections_opened += 1
                except (OSError, asyncio.TimeoutError) as error:
                    connection = None
                    record("timeout" if isinstance(error, asyncio.TimeoutError) else "conn_error", started, None)
                    await asyncio.sleep(0.01)  # do not spin on a server that refuses connections
                    continue
            outcome = await _exchange(connection, payloads[sent % len(payloads)], timeout)
            sent += connections
            if outcome == 200 and content_type is not None:
                received = connection.headers.get("content-type", "").split(";")[0].strip().lower()
                if received != content_type:
                    outcome = "wrong_type"
            record(outcome, started, connection)
        if connection is not None:
            connection.transport.close()

    tasks = [loop.create_task(client(index)) for index in range(connections)]
    await asyncio.sleep(max(0.0, window_start - loop.time()))
    cpu_start = time.process_time()
    await asyncio.sleep(max(0.0, window_end - loop.time()))
    result.cpu_seconds = time.process_time() - cpu_start
    await asyncio.gather(*tasks)
    return result


def closed_loop(port: int, payloads: list[bytes], connections: int, seconds: float, warmup: float = 0.0,
                timeout: float = 35.0, content_type: str | None = None,
                keep_headers: tuple[str, ...] = ()) -> ClosedLoopResult:
    """`connections` clients, each sending its next request (payloads cycled) as soon as its previous answer
    arrived, for `warmup` unmeasured seconds and then `seconds` measured ones. Only answers that arrive inside
    the measured window count; requests in flight when it closes are still awaited, so the server is idle on
    return. A connection the server closes (`Connection: close`) is replaced, its set-up counted in the next
    request's latency. With `content_type`, a 200 of another media type counts as 'wrong_type'; the values of
    the `keep_headers` (lower-case names) of accepted answers are kept."""
    return asyncio.run(_closed_loop(port, payloads, connections, seconds, warmup, timeout, content_type,
                                    keep_headers))


if __name__ == "__main__":  # smoke test: python bench/open_loop.py PORT RATE SECONDS
    import json
    import sys

    port, rate, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    body = build_request(port, json.dumps({"input": "hello world"}).encode())
    outcome = open_loop(port, [body], rate, seconds)
    print(outcome.outcomes, percentile(outcome.ok_latencies_ms, 0.5), percentile(outcome.ok_latencies_ms, 0.99),
          f"cpu {outcome.cpu_seconds:.2f}s of {outcome.wall_seconds:.2f}s on {os.cpu_count()} cores")
