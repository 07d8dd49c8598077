"""CUDA without a GPU: the onnxruntime-gpu build that `scripts/setup-onnxruntime --gpu` lays out in
.onnxruntime-gpu/ (the real CUDA 13 wheel, fetched by `make test`), served on this GPU-less machine. Plain `cuda`
must stop startup with one message that says what is missing; `cuda,cpu` must serve on the CPU with a warning,
and /info, /v2 metadata and config, the load log and /metrics must say so. A stub `libcuda.so.1` (an empty
shared library built here with gcc) stands in for the driver only to reach the next check: the missing CUDA
runtime libraries, whose message lists every place looked in. scripts/gpu-check runs the same binary on a
real GPU."""

import subprocess
from pathlib import Path

import pytest

import raw_http
from embeddings_api import embed, max_abs_diff
from reference import DEFAULT_MODEL_DIR, REPO_ROOT
from tern_process import TernProcess, binary_path

GPU_RUNTIME = REPO_ROOT / ".onnxruntime-gpu" / "libonnxruntime.so"
MODEL = "all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def gpu_runtime() -> Path:
    for name in ("libonnxruntime.so", "libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"):
        assert (GPU_RUNTIME.parent / name).is_file(), f"{name} missing: run scripts/setup-onnxruntime --gpu"
    return GPU_RUNTIME


def _serve_until_exit(*flags: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    command = [str(binary_path()), "serve", "--model", str(DEFAULT_MODEL_DIR), "--host", "127.0.0.1",
               "--port", "0", *flags]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, env=env)


def test_the_cuda_provider_links_what_the_locator_loads(gpu_runtime):
    needed = subprocess.run(["readelf", "-d", str(gpu_runtime.parent / "libonnxruntime_providers_cuda.so")],
                            capture_output=True, text=True, check=True).stdout
    for library in ("libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcurand.so.10", "libcuda.so.1"):
        assert f"[{library}]" in needed, f"the CUDA provider no longer links {library}: update CUDALibraryLocator"


def test_plain_cuda_stops_startup_naming_the_missing_driver(gpu_runtime):
    result = _serve_until_exit("--onnxruntime-library", str(gpu_runtime), "--execution-provider", "cuda")
    assert result.returncode != 0
    assert ("CUDA cannot be used: the NVIDIA driver library libcuda.so.1 did not load (libcuda.so.1: cannot open "
            "shared object file: No such file or directory); this needs a machine with an NVIDIA GPU and its driver "
            "installed") in result.stderr, result.stderr[-2000:]
    assert "tern listening" in result.stdout  # the port opens before the model loads; the load failure stops it


def test_cuda_in_the_cpu_runtime_names_the_runtime_and_its_providers():
    result = _serve_until_exit("--execution-provider", "cuda")
    assert result.returncode != 0
    assert "execution provider 'cuda' is not available in the loaded ONNX Runtime 1.31.1" in result.stderr
    assert "(available: AzureExecutionProvider, CPUExecutionProvider)" in result.stderr


@pytest.fixture(scope="module")
def stub_driver(tmp_path_factory) -> Path:
    """A directory holding an empty `libcuda.so.1`: it loads, so the CUDA libraries are checked next."""
    directory = tmp_path_factory.mktemp("stub-driver")
    source = directory / "stub.c"
    source.write_text("int tern_stub_driver(void) { return 0; }\n")
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(directory / "libcuda.so.1"), str(source)], check=True)
    return directory


def test_missing_cuda_libraries_are_named_with_every_place_looked_in(gpu_runtime, stub_driver, tmp_path):
    empty = tmp_path / "no-cuda-here"
    empty.mkdir()
    env = {"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": str(stub_driver), "TERN_CUDA_LIBRARY_PATH": str(empty)}
    result = _serve_until_exit("--onnxruntime-library", str(gpu_runtime), "--execution-provider", "cuda", env=env)
    assert result.returncode != 0
    stderr = result.stderr
    assert "CUDA cannot be used: libcudart.so.13 (the CUDA runtime) was not found; looked in, in order:" in stderr
    runtime_dir = str(gpu_runtime.parent)
    expected_places = [
        f"  - cuda/ beside ONNX Runtime: {runtime_dir}/cuda: no such file",
        f"  - ONNX Runtime's directory: {runtime_dir}: no such file",
        f"  - $TERN_CUDA_LIBRARY_PATH: {empty}: no such file",
        "  - the system loader: libcudart.so.13: cannot open shared object file: No such file or directory",
    ]
    positions = [stderr.find(line) for line in expected_places]
    assert all(position >= 0 for position in positions), (expected_places, stderr[-3000:])
    assert positions == sorted(positions), "the places are listed in search order"
    assert "Run scripts/setup-onnxruntime --gpu --cuda-libraries" in stderr


def test_a_found_library_that_does_not_load_is_reported_with_dlopens_error(gpu_runtime, stub_driver, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "libcudart.so.13").write_bytes(b"not an ELF file")
    env = {"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": str(stub_driver), "TERN_CUDA_LIBRARY_PATH": str(broken)}
    result = _serve_until_exit("--onnxruntime-library", str(gpu_runtime), "--execution-provider", "cuda", env=env)
    assert result.returncode != 0
    assert f"  - $TERN_CUDA_LIBRARY_PATH: {broken}/libcudart.so.13: dlopen failed: " in result.stderr
    assert "invalid ELF header" in result.stderr or "file too short" in result.stderr


@pytest.fixture(scope="module")
def fallback_server(gpu_runtime):
    process = TernProcess("--onnxruntime-library", str(gpu_runtime), "--execution-provider", "cuda,cpu").start()
    yield process
    assert process.stop() == 0


def test_cuda_then_cpu_serves_on_the_cpu_and_says_so_everywhere(fallback_server, reference):
    port = fallback_server.port
    info = raw_http.request(port, "GET", "/info").json()
    assert info["weights"]["execution_provider"] == "cpu"
    metadata = raw_http.request(port, "GET", f"/v2/models/{MODEL}").json()
    assert metadata["execution_provider"] == "cpu"
    config = raw_http.request(port, "GET", f"/v2/models/{MODEL}/config").json()
    assert config["instance_group"] == [{"name": MODEL, "kind": "KIND_CPU", "gpus": []}]
    metrics = raw_http.request(port, "GET", "/metrics").body.decode()
    assert f'tern_model_execution_provider{{model="{MODEL}",provider="cpu"}} 1' in metrics
    log = fallback_server.stderr_tail(200)
    assert "execution provider fell back" in log and "running_on=cpu" in log
    assert "failed=cuda: CUDA cannot be used: the NVIDIA driver library libcuda.so.1 did not load" in log
    # The GPU build's CPU provider answers as the CPU build does.
    texts = ["the GPU build on a CPU", "falls back with a warning"]
    vectors, _ = embed(port, texts)
    assert max_abs_diff(vectors, reference.embed_all(texts)) < 1e-4


def test_cuda_batching_defaults_follow_the_first_provider(fallback_server):
    info = raw_http.request(fallback_server.port, "GET", "/info").json()
    assert (info["max_batch_tokens"], info["max_batch_requests"]) == (65536, 256)


@pytest.mark.parametrize("value", ["cuda,cuda", "cuda,,cpu", "gpu", "cuda:x", ""])
def test_bad_provider_lists_are_refused_before_anything_loads(value):
    result = subprocess.run([str(binary_path()), "serve", "--model", str(DEFAULT_MODEL_DIR),
                             "--execution-provider", value, "--print-config"], capture_output=True, text=True)
    assert result.returncode != 0
    assert "--execution-provider must be one of cpu, cuda, cuda:<device>, coreml" in result.stderr


STUB_NVML = r"""
/* NVML's five calls as nvml.h declares them, answering for two devices with fixed readings. */
typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
typedef struct device *nvmlDevice_t;
static struct device { int index; } devices[2] = {{0}, {1}};
int nvmlInit_v2(void) { return 0; }
int nvmlDeviceGetCount_v2(unsigned int *count) { *count = 2; return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
    if (index > 1) return 2;
    *device = &devices[index];
    return 0;
}
int nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
    memory->total = 150754820096ULL;
    memory->used = device->index == 0 ? 1234567168ULL : 0;
    memory->free = memory->total - memory->used;
    return 0;
}
int nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *rates) {
    if (device->index == 1) return 3; /* not supported: no utilisation gauge for this device */
    rates->gpu = 37;
    rates->memory = 5;
    return 0;
}
"""


def test_gpu_gauges_come_from_nvml_when_the_driver_has_it(tmp_path, monkeypatch):
    source = tmp_path / "nvml.c"
    source.write_text(STUB_NVML)
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(tmp_path / "libnvidia-ml.so.1"), str(source)], check=True)
    monkeypatch.setenv("LD_LIBRARY_PATH", str(tmp_path))  # the server inherits it
    process = TernProcess().start()
    try:
        metrics = raw_http.request(process.port, "GET", "/metrics").body.decode()
    finally:
        assert process.stop() == 0
    assert 'tern_gpu_memory_used_bytes{gpu="0"} 1234567168' in metrics
    assert 'tern_gpu_memory_used_bytes{gpu="1"} 0' in metrics
    assert 'tern_gpu_memory_total_bytes{gpu="0"} 150754820096' in metrics
    assert 'tern_gpu_utilization_ratio{gpu="0"} 0.37' in metrics
    assert 'tern_gpu_utilization_ratio{gpu="1"}' not in metrics


def test_without_nvml_there_are_no_gpu_gauges(port):
    metrics = raw_http.request(port, "GET", "/metrics").body.decode()
    assert "tern_gpu_" not in metrics
