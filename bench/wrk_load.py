"""Drives the server with wrk: one sentence per POST /v1/embeddings, cycling through varied bodies.

A generated Lua script holds the request bodies and prints wrk's summary as one JSON line from `done`.
wrk's own CPU time comes from wait4's rusage, so the load generator's share of the machine can be reported.
"""

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA_TEMPLATE = """
local bodies = {
%s
}
local headers = { ["Content-Type"] = "application/json" }
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("POST", "/v1/embeddings", headers, bodies[(counter %% #bodies) + 1])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%%d,"duration_us":%%d,"connect":%%d,"read":%%d,"write":%%d,"status":%%d,' ..
    '"timeout":%%d,"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,"max_us":%%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""

# Appended when statuses are counted: each thread counts response codes, `done` sums them over threads.
STATUS_LUA = """
local threads = {}
statuses = {}

setup = function(thread)
  table.insert(threads, thread)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local summary_done = done
done = function(summary, latency, requests)
  summary_done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  io.write("WRK_STATUS {" .. table.concat(parts, ",") .. "}\\n")
end
"""


@dataclass
class LoadResult:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    wrk_cpu_seconds: float
    statuses: dict[int, int] | None = None  # response codes, when the script counts them
    socket_errors: dict[str, int] | None = None  # wrk's connect/read/write/timeout error counts

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is not installed: run scripts/setup-bench (as root) first")
    return path


def write_script(sentences: list[str], model: str, count_statuses: bool = False, per_request: int = 1) -> Path:
    """A Lua script whose bodies are `{"input": sentence, "model": model}`, ASCII-escaped JSON; with
    `per_request` > 1, `input` is an array of that many consecutive sentences (cycled).
    With `count_statuses`, the summary also counts responses by HTTP status (costs wrk a little CPU)."""
    bodies = []
    for index, sentence in enumerate(sentences):
        text = sentence if per_request == 1 else [
            sentences[(index + offset) % len(sentences)] for offset in range(per_request)]
        body = json.dumps({"input": text, "model": model, "encoding_format": "float"}, ensure_ascii=True)
        assert "]==]" not in body
        bodies.append(f"  [==[{body}]==],")
    handle = tempfile.NamedTemporaryFile("w", prefix="tern-bench-", suffix=".lua", delete=False)
    handle.write(LUA_TEMPLATE % "\n".join(bodies) + (STATUS_LUA if count_statuses else ""))
    handle.close()
    return Path(handle.name)


def run(url: str, script: Path, connections: int, seconds: float, threads: int = 1) -> LoadResult:
    """Runs wrk for `seconds` and returns its summary and its own CPU time."""
    command = [require_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "30s",
               "-s", str(script), url]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    line = next((line for line in output.splitlines() if line.startswith("WRK_JSON ")), None)
    if process.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{output}")
    summary = json.loads(line.removeprefix("WRK_JSON "))
    errors = sum(summary[key] for key in ("connect", "read", "write", "status", "timeout"))
    status_line = next((line for line in output.splitlines() if line.startswith("WRK_STATUS ")), None)
    statuses = None
    if status_line is not None:
        statuses = {int(code): count for code, count in json.loads(status_line.removeprefix("WRK_STATUS ")).items()}
    return LoadResult(
        requests=summary["requests"],
        seconds=summary["duration_us"] / 1e6,
        errors=errors,
        p50_ms=summary["p50_us"] / 1e3,
        p90_ms=summary["p90_us"] / 1e3,
        p99_ms=summary["p99_us"] / 1e3,
        max_ms=summary["max_us"] / 1e3,
        wrk_cpu_seconds=usage.ru_utime + usage.ru_stime,
        statuses=statuses,
        socket_errors={key: summary[key] for key in ("connect", "read", "write", "timeout")},
    )

