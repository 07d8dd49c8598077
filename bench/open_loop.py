"""Open-loop HTTP load without coordinated omission, and a many-connections burst, on raw asyncio sockets.

Open loop: request i is due at start + i / rate whatever happened to earlier requests. It goes out on an idle
keep-alive connection, or on a new one when none is idle, so a slow server never slows the schedule down.
Latency is measured from the request's scheduled time, not from when it was actually written, so time spent
waiting for the generator itself (or a connection) counts against the server as a real client would see it.

Responses are parsed just enough to read the status and skip the body (Content-Length framing; the server
does not use chunked responses). Every outcome is one of: an HTTP status, `conn_error` (refused, reset or
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


def build_request(port: int, body: bytes, path: str = "/v1/embeddings") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


class _Connection(asyncio.Protocol):
    """One keep-alive connection carrying one request at a time."""

    def __init__(self):
        self.transport = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.closed = False
        self.reusable = True

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        length, close = 0, False
        for line in head[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        if len(self.buffer) < end + 4 + length:
            return
        del self.buffer[: end + 4 + length]
        self.reusable = not close
        self.waiter.set_result(int(head[0].split(" ", 2)[1]))

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


if __name__ == "__main__":  # smoke test: python bench/open_loop.py PORT RATE SECONDS
    import json
    import sys

    port, rate, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    body = build_request(port, json.dumps({"input": "hello world"}).encode())
    outcome = open_loop(port, [body], rate, seconds)
    print(outcome.outcomes, percentile(outcome.ok_latencies_ms, 0.5), percentile(outcome.ok_latencies_ms, 0.99),
          f"cpu {outcome.cpu_seconds:.2f}s of {outcome.wall_seconds:.2f}s on {os.cpu_count()} cores")
