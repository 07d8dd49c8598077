"""Tern as replicas behind a real load balancer (nginx from Debian, scripts/setup-test-tools), as a Deployment
runs it: steady load while the replicas are restarted one at a time (SIGTERM, drain, start again on the same port,
wait for /health) loses no request and every answer is the right vector; a replica killed with SIGKILL under load
costs at most the requests it had in flight, and nginx's retries usually hide even those."""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import raw_http
from reference import MODELS_DIR
from tern_process import TernProcess

MODEL = MODELS_DIR / "all-MiniLM-L6-v2"
SENTENCES = ["The cat sits outside.", "A man is playing guitar.", "The new movie is awesome.", "Tern batches requests."]
REPLICAS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if found is None:
        pytest.fail("nginx is missing: run scripts/setup-test-tools", pytrace=False)
    return found


class Balancer:
    """nginx in the foreground, one process, proxying to the replicas' ports: a failed connection or a 502/503
    (a draining replica) is retried on the next replica, POSTs included, as a production config does."""

    def __init__(self, folder: Path, ports: list[int]):
        self.port = free_port()
        folder.mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=0;" for port in ports)
        (folder / "nginx.conf").write_text(f"""
daemon off;
master_process off;
worker_processes 1;
error_log {folder}/error.log warn;
pid {folder}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream tern {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        location / {{
            proxy_pass http://tern;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries {len(ports)};
            proxy_connect_timeout 2s;
        }}
    }}
}}
""")
        self.process = subprocess.Popen([nginx_binary(), "-p", str(folder), "-c", str(folder / "nginx.conf")],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {self.process.stderr.read().decode()}")
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def replica(port: int) -> TernProcess:
    return TernProcess("--port", str(port), "--drain-timeout", "20", models=[MODEL]).start()


class Load:
    """Threads sending one sentence per request through the balancer, checking each vector against the one a
    replica gave for that sentence before the test."""

    def __init__(self, port: int, expected: dict[str, np.ndarray], threads: int = 4):
        self.port, self.expected = port, expected
        self.ok, self.failures = 0, []
        self.lock, self.stopping = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def _run(self, index: int) -> None:
        sent = index
        while not self.stopping.is_set():
            sentence = SENTENCES[sent % len(SENTENCES)]
            sent += 1
            try:
                response = raw_http.post_json(self.port, {"input": sentence}, timeout=60)
                good = response.status == 200 and np.allclose(
                    response.json()["data"][0]["embedding"], self.expected[sentence], atol=1e-6)
                outcome = None if good else (response.status, response.body[:200])
            except OSError as error:
                outcome = ("connection", repr(error))
            with self.lock:
                if outcome is None:
                    self.ok += 1
                else:
                    self.failures.append(outcome)

    def __enter__(self) -> "Load":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=120)


@pytest.fixture()
def cluster(tmp_path):
    ports = [free_port() for _ in range(REPLICAS)]
    replicas = [replica(port) for port in ports]
    balancer = Balancer(tmp_path / "nginx", ports)
    expected = {}
    for sentence in SENTENCES:
        response = raw_http.post_json(replicas[0].port, {"input": sentence})
        expected[sentence] = np.array(response.json()["data"][0]["embedding"])
    state = {"replicas": replicas, "ports": ports, "balancer": balancer, "expected": expected}
    yield state
    balancer.stop()
    for process in state["replicas"]:
        process.stop(signal.SIGKILL if process.process.poll() is None else signal.SIGTERM, timeout=5)


def test_a_rolling_restart_loses_no_request(cluster, measure):
    with Load(cluster["balancer"].port, cluster["expected"]) as load:
        time.sleep(1.0)
        for index, port in enumerate(cluster["ports"]):
            old = cluster["replicas"][index]
            assert old.stop(signal.SIGTERM, timeout=60) == 0, old.stderr_tail()
            cluster["replicas"][index] = replica(port)  # start() returns once /health is 200
            time.sleep(0.5)
        time.sleep(1.0)
    measure(f"rolling restart of {REPLICAS} replicas behind nginx: {load.ok} requests ok, "
            f"{len(load.failures)} failed")
    assert load.failures == []
    assert load.ok > 50


def test_a_killed_replica_costs_at_most_its_requests_in_flight(cluster, measure):
    with Load(cluster["balancer"].port, cluster["expected"], threads=4) as load:
        time.sleep(1.0)
        cluster["replicas"][1].stop(signal.SIGKILL)
        time.sleep(2.0)
    measure(f"SIGKILL of 1 of {REPLICAS} replicas under 4-thread load behind nginx: {load.ok} ok, "
            f"{len(load.failures)} failed")
    # At most one request per load thread can have been on the killed replica at once.
    assert len(load.failures) <= len(load.threads), load.failures
    assert load.ok > 20
