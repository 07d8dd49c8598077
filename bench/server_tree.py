"""Starts one HTTP server under test (Tern or a Python peer) in its own process group, times it to its first
200 from the health route, and measures its whole process tree (server + workers): RSS, PSS and CPU.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))

import raw_http  # noqa: E402
from reference import REPO_ROOT  # noqa: E402

PEERS_DIR = Path(__file__).resolve().parent / "peers"
VENV_BIN = REPO_ROOT / ".venv" / "bin"
TERN_LISTENING = re.compile(rb"^tern listening on http://127\.0\.0\.1:(\d+)$")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class ServerKind:
    """How to launch one configuration. `peer_threads` is ONNX Runtime's intra-op threads per worker."""

    name: str
    argv: tuple[str, ...]  # {port} is replaced; Tern's port 0 is read back from its stdout
    peer_threads: int | None = None

    @property
    def is_tern(self) -> bool:
        return self.peer_threads is None


def server_kinds(tern_binary: Path) -> list[ServerKind]:
    gunicorn, uvicorn = str(VENV_BIN / "gunicorn"), str(VENV_BIN / "uvicorn")
    bind = "127.0.0.1:{port}"
    return [
        ServerKind("gunicorn -w 2", (gunicorn, "-w", "2", "-b", bind, "flask_app:app"), peer_threads=1),
        ServerKind("gunicorn -w 1", (gunicorn, "-w", "1", "-b", bind, "flask_app:app"), peer_threads=2),
        ServerKind("gunicorn --preload -w 2", (gunicorn, "--preload", "-w", "2", "-b", bind, "flask_app:app"),
                   peer_threads=1),
        ServerKind("uvicorn --workers 2", (uvicorn, "fastapi_app:app", "--host", "127.0.0.1", "--port", "{port}",
                                           "--workers", "2", "--log-level", "warning"), peer_threads=1),
        ServerKind("tern", (str(tern_binary), "serve", "--host", "127.0.0.1", "--port", "0")),
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the process tree ---------------------------------------------------------------------------------------

def descendants(root: int) -> list[int]:
    """`root` and every live process below it, from the parent ids in /proc/*/stat."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(parent, []).append(int(entry))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(parents.get(pid, []))
    return tree


def tree_memory_kib(root: int) -> dict[str, int]:
    """Rss and Pss summed over the tree, from /proc/PID/smaps_rollup (KiB)."""
    totals = {"rss": 0, "pss": 0, "processes": 0}
    for pid in descendants(root):
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        totals["processes"] += 1
        for line in lines:
            if line.startswith("Rss:"):
                totals["rss"] += int(line.split()[1])
            elif line.startswith("Pss:"):
                totals["pss"] += int(line.split()[1])
    return totals


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU of every live process in the tree (children already reaped are counted in cutime)."""
    total = 0.0
    for pid in descendants(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15]) / CLOCK_TICKS
    return total


def wait_quiet(root: int, timeout: float = 40.0, interval: float = 0.25, busy_share: float = 0.1) -> float:
    """Waits until the tree uses under `busy_share` of one core over `interval` (the requests a load generator
    left behind have been answered: Python servers keep computing them after wrk closes its sockets); returns the
    seconds waited."""
    started = time.monotonic()
    previous = tree_cpu_seconds(root)
    while time.monotonic() - started < timeout:
        time.sleep(interval)
        now = tree_cpu_seconds(root)
        if now - previous < busy_share * interval:
            break
        previous = now
    return time.monotonic() - started


class PeakMemorySampler:
    """Samples the tree's memory every `interval` seconds on a thread while a load runs; keeps the maxima."""

    def __init__(self, root: int, interval: float = 0.5):
        self.root, self.interval = root, interval
        self.peak = {"rss": 0, "pss": 0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            sample = tree_memory_kib(self.root)
            for key in self.peak:
                self.peak[key] = max(self.peak[key], sample[key])

    def __enter__(self) -> "PeakMemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()
        sample = tree_memory_kib(self.root)
        for key in self.peak:
            self.peak[key] = max(self.peak[key], sample[key])


# --- starting and stopping ----------------------------------------------------------------------------------

@dataclass
class RunningServer:
    kind: ServerKind
    model_dir: Path
    process: subprocess.Popen
    port: int
    ready_seconds: float  # process start -> first 200 from the health route
    stderr: "tempfile._TemporaryFileWrapper" = field(repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stderr_tail(self, lines: int = 30) -> str:
        return "\n".join(Path(self.stderr.name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM to the server (its own graceful shutdown), then SIGKILL to its process group on timeout."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.stderr.close()


class ServerStartError(RuntimeError):
    pass


def start(kind: ServerKind, model_dir: Path, timeout: float = 120.0) -> RunningServer:
    port = 0 if kind.is_tern else free_port()
    argv = [part.replace("{port}", str(port)) for part in kind.argv]
    env = dict(os.environ)
    if kind.is_tern:
        argv += ["--model", str(model_dir)]
        cwd = REPO_ROOT
    else:
        env.update(PEER_MODEL=str(model_dir), PEER_THREADS=str(kind.peer_threads), PEER_MAX_LENGTH="256")
        env.update(OMP_NUM_THREADS=str(kind.peer_threads))
        cwd = PEERS_DIR
    stderr = tempfile.NamedTemporaryFile(prefix="bench-server-", suffix=".log")
    started = time.monotonic()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stderr=stderr,
                               stdout=subprocess.PIPE if kind.is_tern else stderr, start_new_session=True)
    server = RunningServer(kind, model_dir, process, port, float("nan"), stderr)
    deadline = started + timeout
    if kind.is_tern:
        line = process.stdout.readline().rstrip(b"\n")
        match = TERN_LISTENING.match(line)
        if not match:
            server.stop(timeout=5)
            raise ServerStartError(f"{kind.name}: unexpected first stdout line {line!r}\n{server.stderr_tail()}")
        server.port = int(match.group(1))
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerStartError(f"{kind.name} exited with {process.returncode}\n{server.stderr_tail()}")
        try:
            if raw_http.request(server.port, "GET", "/health", timeout=5).status == 200:
                server.ready_seconds = time.monotonic() - started
                return server
        except OSError:
            pass
        time.sleep(0.01)
    server.stop(timeout=5)
    raise ServerStartError(f"{kind.name}: /health never answered 200 within {timeout:.0f} s\n{server.stderr_tail()}")
