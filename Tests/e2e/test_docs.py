"""docs/configuration.md and `tern serve --help` list the same options and environment variables."""
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _help_text() -> str:
    binary = os.environ.get("TERN_BIN", str(ROOT / ".build/debug/tern"))
    return subprocess.run([binary, "serve", "--help"], capture_output=True, text=True, check=True).stdout


def _options(text: str) -> set[str]:
    flags = set(re.findall(r"--[a-z][a-z-]+", text))
    return flags - {"--help", "--version"}


def test_every_option_is_documented_and_every_documented_option_exists():
    help_text = _help_text()
    doc = (ROOT / "docs/configuration.md").read_text()
    table = "\n".join(line for line in doc.splitlines() if line.startswith("| `--"))
    assert _options(help_text) == _options(table)


def test_every_environment_variable_is_documented():
    help_text = _help_text()
    doc = (ROOT / "docs/configuration.md").read_text()
    in_help = set(re.findall(r"TERN_[A-Z_]+", help_text))
    in_doc = set(re.findall(r"TERN_[A-Z_]+", doc))
    assert in_help and in_help == in_doc
