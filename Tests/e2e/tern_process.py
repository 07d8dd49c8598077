"""Starts and stops a real `tern serve` process for the end-to-end tests and the benchmark.

The server prints exactly one line to stdout once its socket is bound (`tern listening on http://HOST:PORT`)
and answers `GET /health` with 503 `{"status":"loading"}` until the model is ready, then 200 `{"status":"ok"}`.
"""

import os
import re
import selectors
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import raw_http
from reference import DEFAULT_MODEL_DIR, FETCH_HINT, REPO_ROOT

DEBUG_BINARY = REPO_ROOT / ".build" / "debug" / "tern"
RELEASE_BINARY = REPO_ROOT / ".build" / "release" / "tern"
MAKE_TEST_MODELS_HINT = "run scripts/make-test-models from the repository root"
LISTENING_LINE = re.compile(r"^tern listening on http://127\.0\.0\.1:(\d+)$")


class TernStartupError(RuntimeError):
    """The server could not be started or never became healthy; the message carries its stderr tail."""


def binary_path(default: Path = DEBUG_BINARY) -> Path:
    """`$TERN_BIN`, else `default`; raises with the build command to run when it is missing."""
    path = Path(os.environ.get("TERN_BIN", default))
    if not path.is_file():
        configuration = "release" if "release" in str(default) else "debug"
        raise TernStartupError(
            f"tern binary not found at {path}: build it with `swift build -c {configuration}` from the "
            "repository root (after scripts/setup-onnxruntime and scripts/fetch-models), or set TERN_BIN"
        )
    return path


def check_prerequisites(*model_dirs: Path) -> None:
    """Fails with the setup script to run when ONNX Runtime or the model files are missing."""
    if not any((REPO_ROOT / ".onnxruntime").glob("libonnxruntime.so*")):
        raise TernStartupError("ONNX Runtime is missing from .onnxruntime/: run scripts/setup-onnxruntime")
    for model_dir in model_dirs:
        if (model_dir / "preprocessor_config.json").is_file() or (model_dir / "config.yaml").is_file():
            # An image model: no tokenizer, a graph.
            if not (model_dir / "model.onnx").is_file():
                raise TernStartupError(f"model.onnx is missing from {model_dir}: {MAKE_TEST_MODELS_HINT}")
            continue
        if not (model_dir / "tokenizer.json").is_file():
            hint = MAKE_TEST_MODELS_HINT if model_dir.name.startswith("tiny-") else FETCH_HINT
            raise TernStartupError(f"model files are missing from {model_dir}: {hint}")


class TernProcess:
    """One `tern serve` child process listening on an ephemeral port.

    `models` serves several model directories (one `--model` flag each, in that order) instead of `model_dir`.
    `repository` serves a Triton-layout model repository (`--model-repository`) instead of any `--model`, unless
    `models` is also given.
    """

    def __init__(
        self,
        *flags: str,
        model_dir: Path = DEFAULT_MODEL_DIR,
        models: Sequence[Path] | None = None,
        binary: Path | None = None,
        repository: Path | None = None,
    ):
        self.flags = flags
        self.repository = Path(repository) if repository else None
        if models:
            self.model_dirs = [Path(path) for path in models]
        else:
            self.model_dirs = [] if repository else [Path(model_dir)]
        self.model_dir = self.model_dirs[0] if self.model_dirs else None
        self.binary = binary or binary_path()
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.health_statuses: list[tuple[int, object]] = []
        self._stderr = tempfile.NamedTemporaryFile(prefix="tern-stderr-", suffix=".log")  # removed with this object

    @property
    def command(self) -> list[str]:
        model_flags = [part for path in self.model_dirs for part in ("--model", os.path.relpath(path, REPO_ROOT))]
        if self.repository:
            model_flags += ["--model-repository", str(self.repository)]
        return [str(self.binary), "serve", *model_flags, "--host", "127.0.0.1", "--port", "0", *self.flags]

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> "TernProcess":
        """Launches the server, reads its port line and waits for `/health` to report ok."""
        check_prerequisites(*self.model_dirs)
        self.process = subprocess.Popen(
            self.command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr
        )
        deadline = time.monotonic() + timeout
        self.port = self._read_port(deadline)
        self._wait_healthy(deadline)
        return self

    def _read_port(self, deadline: float) -> int:
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._fail(f"no listening line on stdout within the timeout (got {line!r})")
            if not selector.select(timeout=min(remaining, 0.5)):
                if self.process.poll() is not None:
                    self._fail(f"exited with {self.process.returncode} before printing its port (got {line!r})")
                continue
            chunk = os.read(self.process.stdout.fileno(), 1)
            if not chunk:
                self._fail(f"closed stdout before printing its port (got {line!r})")
            line += chunk
        match = LISTENING_LINE.match(line.decode(errors="replace").rstrip("\n"))
        if not match:
            self._fail(f"first stdout line is not `tern listening on http://127.0.0.1:PORT`: {line!r}")
        return int(match.group(1))

    def _wait_healthy(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._fail(f"exited with {self.process.returncode} while loading")
            try:
                response = raw_http.request(self.port, "GET", "/health", timeout=5)
            except OSError as error:
                self._fail(f"refused /health after printing its listening line: {error!r}")
            body = response.json_or_none()
            self.health_statuses.append((response.status, body))
            if (response.status, body) == (200, {"status": "ok"}):
                return
            if (response.status, body) != (503, {"status": "loading"}):
                self._fail(f"/health answered {response.status} {response.body[:200]!r}; expected 503 or 200")
            time.sleep(0.1)
        self._fail("/health did not report ok within the timeout")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        """Sends `sig` and returns the exit status (killing the process, and returning -9, after `timeout`)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return -9

    def remaining_stdout(self) -> bytes:
        """What the server printed on stdout after its listening line (read once it has exited)."""
        return self.process.stdout.read() if self.process and self.process.poll() is not None else b""

    def stderr_tail(self, lines: int = 40) -> str:
        text = Path(self._stderr.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def rss_kib(self) -> int:
        """Resident set size from /proc/PID/status (VmRSS), in KiB."""
        return _proc_status_field(self.pid, "VmRSS")

    def peak_rss_kib(self) -> int:
        """Peak resident set size (VmHWM), in KiB."""
        return _proc_status_field(self.pid, "VmHWM")

    def cpu_seconds(self) -> float:
        """User + system CPU time the server has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _fail(self, reason: str) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        raise TernStartupError(
            f"`{' '.join(self.command)}` {reason}\n--- server stderr (last lines) ---\n{self.stderr_tail()}"
        )


def _proc_status_field(pid: int, name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise KeyError(name)


def health(port: int) -> tuple[int, object]:
    """`GET /health` as (status, parsed body)."""
    response = raw_http.request(port, "GET", "/health", timeout=10)
    return response.status, response.json_or_none()

