"""Slow clients cannot hold the server's connections: a connection that trickles its request headers is closed
after --header-read-timeout, an idle kept-alive one after --idle-timeout, and connections over
--max-connections are closed on accept, while ordinary requests keep being answered."""

import socket
import time

import pytest

import raw_http

SLOW = 1500


def _slow_socket(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"POST /v1/embeddings HTTP/1.1\r\nHost: x\r\n")
    return sock


def _is_closed(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)


def test_trickling_headers_are_cut_off_while_requests_are_served(start_server, measure):
    server = start_server("--header-read-timeout", "2", "--max-connections", "4000")
    sockets = [_slow_socket(server.port) for _ in range(SLOW)]
    try:
        started = time.monotonic()
        latencies = []
        # Keep trickling a header every half second, as a slowloris client does, while timing real requests.
        while time.monotonic() - started < 6:
            for index, sock in enumerate(sockets):
                try:
                    sock.sendall(f"X-Slow-{index}: 1\r\n".encode())
                except OSError:
                    pass
            before = time.monotonic()
            response = raw_http.post_json(server.port, {"input": "still served"})
            latencies.append(time.monotonic() - before)
            assert response.status == 200, response.body[:200]
            time.sleep(0.5)
        closed = sum(_is_closed(sock) for sock in sockets)
        assert closed == SLOW, f"{SLOW - closed} of {SLOW} trickling connections are still open after 6 s"
        latencies.sort()
        median = latencies[len(latencies) // 2]
        measure(f"slow connections: {closed}/{SLOW} trickling connections closed; {len(latencies)} requests "
                f"served meanwhile, median {median * 1000:.1f} ms, worst {latencies[-1] * 1000:.1f} ms")
        assert median < 1.0, latencies
    finally:
        for sock in sockets:
            sock.close()


def test_idle_keep_alive_connections_are_closed(start_server):
    server = start_server("--idle-timeout", "1")
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    try:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        time.sleep(3)
        assert _is_closed(sock), "an idle kept-alive connection stayed open past --idle-timeout"
    finally:
        sock.close()


def test_connections_over_the_cap_are_closed_on_accept(start_server):
    server = start_server("--max-connections", "20")
    held = [_slow_socket(server.port) for _ in range(20)]
    try:
        time.sleep(0.5)
        extra = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        extra.settimeout(5)
        extra.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            assert extra.recv(4096) == b"", "a connection over --max-connections was served"
        except ConnectionResetError:
            pass
        extra.close()
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.5)
    assert raw_http.request(server.port, "GET", "/health").status == 200, "slots are given back on close"
