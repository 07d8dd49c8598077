"""`tern serve --config FILE` and `--print-config`: precedence command line > environment > file > default for
every option, a file's keys are exactly `tern serve --help`'s options, and bad files stop startup naming the key."""

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

import raw_http
from tern_process import TernProcess, binary_path
from reference import DEFAULT_MODEL_DIR, REPO_ROOT

MODEL = os.path.relpath(DEFAULT_MODEL_DIR, REPO_ROOT)
COMMAND_LINE_ONLY = {"--help", "--version", "--config", "--print-config"}


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("TERN_")}
    return subprocess.run(
        [str(binary_path()), "serve", *args], capture_output=True, text=True, cwd=REPO_ROOT, env={**clean, **(env or {})},
        timeout=60,
    )


def _print_config(*args: str, env: dict[str, str] | None = None) -> tuple[dict, str]:
    result = _run(*args, "--print-config", env=env)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout), result.stdout


def _origin(text: str, key: str) -> str:
    match = re.search(rf"^{re.escape(key)}: .*  # (.+)$", text, re.MULTILINE)
    assert match, f"{key} missing from\n{text}"
    return match.group(1)


def _help_keys() -> set[str]:
    help_text = subprocess.run([str(binary_path()), "serve", "--help"], capture_output=True, text=True, check=True).stdout
    options = set(re.findall(r"--[a-z][a-z-]+", help_text)) - COMMAND_LINE_ONLY
    # `--truncate` / `--no-truncate` is the one key `truncate`.
    return {option[2:] for option in options if not (option.startswith("--no-") and "--" + option[5:] in options)}


def test_print_config_keys_are_exactly_the_options_of_help():
    config, _ = _print_config("--model", MODEL)
    assert set(config) == _help_keys()


def test_print_config_shows_defaults_and_does_not_load_models():
    config, text = _print_config("--model", "/nonexistent/model")
    assert config["model"] == ["/nonexistent/model"]
    assert config["max-batch-tokens"] == 1024 and _origin(text, "max-batch-tokens") == "default"
    assert config["port"] == 8080 and config["host"] == "0.0.0.0"
    assert config["truncate"] is True and config["max-input-chars"] == 100000
    assert config["max-length"] is None  # decided by the model at startup


def _write(tmp_path: Path, text: str, name: str = "tern.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "key, flag, variable, values",
    [
        ("max-batch-tokens", "--max-batch-tokens", "TERN_MAX_BATCH_TOKENS", (1000, 2000, 3000)),
        ("request-timeout", "--request-timeout", "TERN_REQUEST_TIMEOUT", (5.0, 6.0, 7.0)),
        ("log-level", "--log-level", "TERN_LOG_LEVEL", ("debug", "warning", "error")),
        ("host", "--host", "TERN_HOST", ("10.0.0.1", "10.0.0.2", "10.0.0.3")),
    ],
)
def test_command_line_beats_environment_beats_file_beats_default(tmp_path, key, flag, variable, values):
    file_value, env_value, cli_value = values
    config_file = _write(tmp_path, f"model: [{MODEL}]\n{key}: {file_value}\n")
    env = {variable: str(env_value)}
    config, text = _print_config("--config", str(config_file), flag, str(cli_value), env=env)
    assert (config[key], _origin(text, key)) == (cli_value, "command line")
    config, text = _print_config("--config", str(config_file), env=env)
    assert (config[key], _origin(text, key)) == (env_value, "environment")
    config, text = _print_config("--config", str(config_file))
    assert (config[key], _origin(text, key)) == (file_value, "config file")
    config, text = _print_config("--model", MODEL)
    assert _origin(text, key) == "default"


def test_flags_and_lists_in_the_file(tmp_path):
    config_file = _write(tmp_path, f"model:\n  - {MODEL}\n  - models/tiny-classifier\ntruncate: no\nspinning: on\n")
    config, _ = _print_config("--config", str(config_file))
    assert config["model"] == [MODEL, "models/tiny-classifier"]
    assert config["truncate"] is False and config["spinning"] is True
    # The command line's list replaces the file's; the environment's flag beats the file's.
    config, _ = _print_config("--config", str(config_file), "--model", MODEL, env={"TERN_TRUNCATE": "1"})
    assert config["model"] == [MODEL] and config["truncate"] is True
    config, _ = _print_config("--config", str(config_file), "--truncate", "--no-spinning")
    assert config["truncate"] is True and config["spinning"] is False


def test_config_file_from_the_environment(tmp_path):
    config_file = _write(tmp_path, f"model: {MODEL}\nmax-inputs: 7\n")
    config, text = _print_config(env={"TERN_CONFIG": str(config_file)})
    assert config["max-inputs"] == 7 and _origin(text, "max-inputs") == "config file"


def test_print_config_output_is_a_valid_config_file(tmp_path):
    _, first = _print_config("--model", MODEL, "--max-batch-wait", "2.5", "--pooling", "cls", "--no-normalize",
                             "--execution-provider", "cpu", "--task", "embeddings")
    config_file = _write(tmp_path, first)
    config, second = _print_config("--config", str(config_file))
    assert yaml.safe_load(first) == config
    assert second == first.replace("# command line", "# config file").replace("# default\n", "# config file\n")


def test_api_keys_are_redacted(tmp_path):
    key_file = _write(tmp_path, "# ops keys\nfile-key-1\n", name="keys.txt")
    result = _run("--model", MODEL, "--api-key", "cli-secret-1", "--api-key-file", str(key_file), "--print-config",
                  env={"TERN_API_KEY": "env-secret-2"})
    assert result.returncode == 0, result.stderr
    assert "secret" not in result.stdout and "file-key-1" not in result.stdout
    config = yaml.safe_load(result.stdout)
    assert config["api-key"] == ["<redacted>"] and config["api-key-file"] == str(key_file)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("max-batch-tokenz: 10\n", "unknown key 'max-batch-tokenz'"),
        ("max_batch_tokens: 10\n", "did you mean 'max-batch-tokens'"),
        ("max-batch-tokens: lots\n", "key 'max-batch-tokens'"),
        ("port: 8080.5\n", "key 'port'"),
        ("truncate: maybe\n", "key 'truncate'"),
        ("pooling: median\n", "key 'pooling'"),
        ("host: [a, b]\n", "key 'host'"),
        ("api-key: {a: b}\n", "key 'api-key'"),
        ("port: 1\nport: 2\n", "'port'"),
        ("config: other.yaml\n", "unknown key 'config'"),
        ("- just\n- a list\n", "must be a mapping"),
        ("port: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_files_stop_startup_naming_the_key_and_the_file(tmp_path, text, expected):
    config_file = _write(tmp_path, f"model: {MODEL}\n" + text if not text.startswith("-") else text)
    result = _run("--config", str(config_file))
    assert result.returncode == 64  # EX_USAGE, as for a bad command line
    assert expected in result.stderr and str(config_file) in result.stderr, result.stderr
    assert result.stdout == ""


def test_missing_config_file_names_it(tmp_path):
    result = _run("--config", str(tmp_path / "absent.yaml"), "--model", MODEL)
    assert result.returncode != 0 and "absent.yaml" in result.stderr


def test_bad_environment_value_names_the_variable():
    result = _run("--model", MODEL, env={"TERN_MAX_INPUT_CHARS": "many"})
    assert result.returncode != 0 and "TERN_MAX_INPUT_CHARS" in result.stderr


def test_the_server_uses_the_files_settings(tmp_path):
    config_file = _write(tmp_path, "max-inputs: 3\nmax-input-chars: 20\n")
    server = TernProcess("--config", str(config_file)).start()
    try:
        ok = raw_http.post_json(server.port, {"input": ["a", "b", "c"]})
        assert ok.status == 200, ok.body
        assert raw_http.post_json(server.port, {"input": ["a", "b", "c", "d"]}).status == 413
        assert raw_http.post_json(server.port, {"input": "x" * 21}).status == 413
    finally:
        assert server.stop() == 0


# A valid value for each option whose default is decided at startup (null in --print-config).
VALUES_FOR_UNSET = {
    "model-id": "minilm", "task": "embeddings", "max-length": 128, "normalize": True, "pooling": "mean",
    "execution-provider": "cpu", "gpu-memory-limit": 4096, "onnxruntime-library": "/opt/ort/libonnxruntime.so", "metrics-port": 9100, "grpc-port": 8001,
    "otlp-endpoint": "http://localhost:4318", "model-repository": "/srv/models",
    "default-prompt-name": "query", "default-prompt": "query: ", "max-padding": 0.2,
}
# Options that exclude each other: the first is left out of the every-option runs and checked on its own.
EXCLUSIVE = {"default-prompt": "default-prompt-name"}


def _every_option(tmp_path: Path) -> dict:
    """A value for every key: its default, or one from VALUES_FOR_UNSET."""
    defaults, _ = _print_config("--model", MODEL)
    key_file = _write(tmp_path, "k-1\n", name="keys.txt")
    values = {"api-key": ["k-0"], "api-key-file": str(key_file)}
    for key, value in defaults.items():
        if key in values or key in EXCLUSIVE:
            continue
        if value is None:
            assert key in VALUES_FOR_UNSET, f"add a valid value for the new option '{key}' to VALUES_FOR_UNSET"
            value = VALUES_FOR_UNSET[key]
        values[key] = value
    return values


def test_every_option_is_read_from_the_file(tmp_path):
    values = _every_option(tmp_path)
    config_file = _write(tmp_path, yaml.safe_dump(values))
    config, text = _print_config("--config", str(config_file))
    for key in values:
        assert _origin(text, key) == "config file", key
        if key != "api-key":
            assert config[key] == values[key], key


@pytest.mark.parametrize("key", list(EXCLUSIVE))
def test_an_exclusive_option_is_read_from_the_file_and_the_environment_and_clashes_with_its_partner(tmp_path, key):
    value = VALUES_FOR_UNSET[key]
    config_file = _write(tmp_path, yaml.safe_dump({"model": [MODEL], key: value}))
    config, text = _print_config("--config", str(config_file))
    assert (config[key], _origin(text, key)) == (value, "config file")
    config, text = _print_config("--model", MODEL, env={"TERN_" + key.upper().replace("-", "_"): value})
    assert (config[key], _origin(text, key)) == (value, "environment")
    partner = EXCLUSIVE[key]
    result = subprocess.run(
        [str(binary_path()), "serve", "--model", MODEL, f"--{key}", value, f"--{partner}", "x", "--print-config"],
        capture_output=True, text=True)
    assert result.returncode != 0 and "cannot both be given" in result.stderr


def test_every_option_is_read_from_the_environment(tmp_path):
    values = _every_option(tmp_path)

    def spelled(value) -> str:
        if isinstance(value, list):
            return ",".join(value)
        return str(value).lower() if isinstance(value, bool) else str(value)

    env = {"TERN_" + key.upper().replace("-", "_"): spelled(value) for key, value in values.items()}
    config, text = _print_config(env=env)
    for key in values:
        assert _origin(text, key) == "environment", key
        if key != "api-key":
            assert config[key] == values[key], key


@pytest.mark.parametrize("name", ['we"ird\\name\tü #x: y', "123", "true", "null", "- a", "[x]", "' q", "日本"])
def test_strings_survive_the_print_config_round_trip(tmp_path, name):
    config, text = _print_config("--model", MODEL, f"--model-id={name}")
    assert config["model-id"] == name
    again, _ = _print_config("--config", str(_write(tmp_path, text)))
    assert again["model-id"] == name
