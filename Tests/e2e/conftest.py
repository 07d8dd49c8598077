"""Fixtures that run the real `tern` binary: one shared default server, one shared server of several models
(the tiny classifiers and MiniLM), extra servers with custom flags, the official OpenAI client pointed at it,
and the Python references."""

import signal

import pytest
from openai import OpenAI

from classifier_reference import SERVED_MODEL_DIRS, TINY_MODELS, ReferenceClassifier
from reference import ReferenceEmbedder
from tern_process import TernProcess, TernStartupError

# The KServe v2 tests' shared server and client fixtures (one server over a copy of models/v2 per session).
pytest_plugins = ["v2_support"]

MODEL_ID = "all-MiniLM-L6-v2"
_measurements: list[str] = []


def _shut_down(server: TernProcess, sig: int = signal.SIGTERM) -> None:
    status = server.stop(sig)
    extra_stdout = server.remaining_stdout()
    assert status == 0, f"tern exited with {status} after {signal.Signals(sig).name}\n{server.stderr_tail()}"
    assert extra_stdout == b"", f"tern printed more than its listening line on stdout: {extra_stdout[:300]!r}"


def _start(*flags: str, models=None) -> TernProcess:
    try:
        return TernProcess(*flags, models=models).start()
    except TernStartupError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def server() -> TernProcess:
    """The server with default flags, shared by the whole session; stopped with SIGTERM, must exit 0."""
    process = _start()
    yield process
    _shut_down(process)


@pytest.fixture(scope="session")
def port(server: TernProcess) -> int:
    return server.port


@pytest.fixture(scope="session")
def multi_server() -> TernProcess:
    """`--model` tiny-cross-encoder, tiny-classifier, tiny-multilabel, all-MiniLM-L6-v2, in that order, default
    flags; shared by the whole session, stopped with SIGTERM, must exit 0."""
    process = _start(models=SERVED_MODEL_DIRS)
    yield process
    _shut_down(process)


@pytest.fixture(scope="session")
def multi_port(multi_server: TernProcess) -> int:
    return multi_server.port


@pytest.fixture(scope="session")
def classifiers() -> dict[str, ReferenceClassifier]:
    """The PyTorch reference of each tiny model, by model id."""
    try:
        return {model.id: ReferenceClassifier(model) for model in TINY_MODELS}
    except FileNotFoundError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def start_server():
    """`start_server(*flags)` returns a running server with those flags, shared by every test asking for the
    same flags; all are stopped with SIGTERM at the end of the session and must exit 0."""
    started: dict[tuple, TernProcess] = {}

    def start(*flags: str, models=None) -> TernProcess:
        key = (flags, tuple(models) if models else None)
        if key not in started:
            started[key] = _start(*flags, models=models)
        return started[key]

    yield start
    for process in started.values():
        _shut_down(process)


@pytest.fixture(scope="session")
def client(port: int) -> OpenAI:
    """The official client against the shared server; no retries, so every failure shows."""
    return OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="unused", max_retries=0, timeout=120)


@pytest.fixture(scope="session")
def reference() -> ReferenceEmbedder:
    return ReferenceEmbedder()


@pytest.fixture(scope="session")
def measure():
    """`measure(line)` records a number worth seeing even when the test passes; printed after the run."""
    return _measurements.append


def pytest_terminal_summary(terminalreporter):
    if _measurements:
        terminalreporter.section("tern e2e measurements")
        for line in _measurements:
            terminalreporter.write_line(line)
