"""`--engines auto` / `--threads auto`: a text model measures the engines x threads layouts at load, serves the
fastest (or fewer engines within 3% of it), logs what it measured and reports it on /info; given counts are not
measured, and raw-tensor models keep their one-engine default."""

import os
import subprocess

import yaml

import pytest

import raw_http
from embeddings_api import embed, max_abs_diff
from reference import REPO_ROOT
from tern_process import TernProcess, TernStartupError, binary_path

TEXTS = ["Calibration picks the layout by measuring it.", "Short queries are what the layouts differ most on."]


def cores() -> set[int]:
    """What the server may count as this machine's cores."""
    return {os.cpu_count(), len(os.sched_getaffinity(0))}


def info(server: TernProcess) -> dict:
    response = raw_http.request(server.port, "GET", "/info")
    assert response.status == 200
    return response.json()["engines"]


@pytest.fixture(scope="module")
def default_server():
    server = TernProcess().start()
    yield server
    server.stop()


def test_the_default_layout_is_not_measured(default_server):
    engines = info(default_server)
    assert engines["calibrated"] is False and engines["candidates"] == [] and engines.get("batch_inputs") is None
    assert engines["engines"] == min(2, max(cores())) and engines["engines"] * engines["threads"] in cores()


def test_engines_auto_measures_every_split_of_the_cores_and_serves_the_best(default_server):
    server = TernProcess("--engines", "auto").start()
    try:
        engines = info(server)
        candidates = [(entry["engines"], entry["threads"]) for entry in engines["candidates"]]
        # Powers of two of engines (at most 8), each with the cores split between them.
        core_count = next(count for count in cores() if candidates[0] == (1, count))
        expected = [(count, core_count // count) for count in (1, 2, 4, 8) if count <= core_count]
        assert candidates == expected
        # As many sample sentences as --max-batch-tokens (1024) and --max-batch-requests (64) let one batch hold.
        assert engines["calibrated"] is True and 32 <= engines["batch_inputs"] <= 64
        rates = {(entry["engines"], entry["threads"]): entry["inputs_per_second"] for entry in engines["candidates"]}
        assert all(rate > 0 for rate in rates.values())
        chosen = (engines["engines"], engines["threads"])
        assert chosen in rates
        best = max(rates.values())
        assert rates[chosen] >= 0.97 * best
        assert all(rate < 0.97 * best for layout, rate in rates.items() if layout[0] < chosen[0]), rates
        assert "calibrated engines x threads" in server.stderr_tail(200)
        vectors, _ = embed(server.port, TEXTS)
        reference, _ = embed(default_server.port, TEXTS)
        assert max_abs_diff(vectors, reference) <= 1e-5
    finally:
        server.stop()


def test_a_given_thread_count_is_kept_and_engines_are_measured():
    server = TernProcess("--engines", "auto", "--threads", "1").start()
    try:
        engines = info(server)
        layouts = [(entry["engines"], entry["threads"]) for entry in engines["candidates"]]
        assert all(threads == 1 for _, threads in layouts) and layouts[0] == (1, 1) and len(layouts) >= 2
        assert engines["threads"] == 1
    finally:
        server.stop()


def test_one_candidate_is_served_without_measuring():
    # More engines than cores: `--threads auto` has nothing below one thread each to try.
    server = TernProcess("--engines", str(max(cores()) * 2), "--threads", "auto").start()
    try:
        engines = info(server)
        assert engines["calibrated"] is False and engines["engines"] == max(cores()) * 2
    finally:
        server.stop()


def test_print_config_shows_auto():
    clean = {key: value for key, value in os.environ.items() if not key.startswith("TERN_")}
    result = subprocess.run([str(binary_path()), "serve", "--model", "/nonexistent", "--print-config"],
                            capture_output=True, text=True, cwd=REPO_ROOT, env={**clean, "TERN_ENGINES": "auto"},
                            timeout=60, check=True)
    config = yaml.safe_load(result.stdout)
    assert config["engines"] == "auto" and isinstance(config["threads"], int)


@pytest.mark.parametrize("value", ["often", "0", "-2"])
def test_bad_counts_stop_startup_with_the_option_named(value):
    with pytest.raises(TernStartupError) as error:
        TernProcess("--engines", value).start(timeout=30)
    assert "engines" in str(error.value)
