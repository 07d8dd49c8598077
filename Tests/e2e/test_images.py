"""Image models end to end (issue 14): the real `tern` binary serving tiny torch-exported models and a real model
from a PyPI wheel (PP-OCR's text detector from rapidocr-onnxruntime), compared with a Python reference written the
way Flask services are (OpenCV or the transformers image processor + numpy + onnxruntime on the same file), over
every input form, every `Accept`, every image format and every bad input."""

import base64
import io
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import requests
import tritonclient.http as httpclient
from PIL import Image

import image_reference
import image_samples
import raw_http
from reference import REPO_ROOT
from tern_process import TernProcess

IMAGES = REPO_ROOT / "models" / "images"
DEPTH = IMAGES / "midas-opencv"
DPT = IMAGES / "tiny-dpt-depth"
VIT = IMAGES / "tiny-vit-classify"
CLIP = IMAGES / "tiny-clip-vision"
OCR = IMAGES / "ppocr-det"
TEXT_CLASSIFIER = REPO_ROOT / "models" / "tiny-classifier"
MINILM = REPO_ROOT / "models" / "all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def depth_server():
    """One image model alone: `/predict` goes to it whatever the body."""
    server = TernProcess(models=[DEPTH]).start()
    yield server
    assert server.stop() == 0, server.stderr_tail()


@pytest.fixture(scope="module")
def zoo():
    """Every image model, a text classifier and a text embedder in one process."""
    server = TernProcess(models=[DPT, VIT, CLIP, OCR, DEPTH, TEXT_CLASSIFIER, MINILM]).start()
    yield server
    assert server.stop() == 0, server.stderr_tail()


def post(server, body: bytes, content_type: str, path: str = "/predict", accept: str | None = None, timeout=60):
    headers = {"Content-Type": content_type}
    if accept:
        headers["Accept"] = accept
    return raw_http.request(server.port, "POST", path, body, headers=headers, timeout=timeout)


def grey(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return np.asarray(image)


def assert_close_levels(ours: np.ndarray, theirs: np.ndarray, what: str, measure=None):
    """Within one grey level on at least 99.9% of the pixels (and never more than a few levels)."""
    assert ours.shape == theirs.shape, f"{what}: {ours.shape} vs {theirs.shape}"
    difference = np.abs(ours.astype(np.int32) - theirs.astype(np.int32))
    within = float(np.mean(difference <= 1))
    assert within >= 0.999, f"{what}: only {within:.4%} of pixels within 1 level (max {difference.max()})"
    if measure:
        measure(f"{what}: {within:.4%} of pixels within 1 grey level, max diff {difference.max()}")


def assert_tei_error(response, status: int, fragment: str | None = None):
    assert response.status == status, (response.status, response.body[:300])
    body = response.json()
    assert set(body) == {"error", "error_type"}, body
    if fragment:
        assert fragment in body["error"], body


# ---------------------------------------------------------------------------------------------------------------
# Parity with the Python reference


SAMPLES = {
    "jpeg 640x480": image_samples.jpeg_baseline,
    "progressive jpeg": image_samples.jpeg_progressive,
    "png rgb": image_samples.png_rgb8,
    "webp lossless": image_samples.webp_lossless,
}


@pytest.mark.parametrize("sample", sorted(SAMPLES))
@pytest.mark.parametrize("model", [DEPTH, DPT, OCR], ids=lambda path: path.name)
def test_depth_png_matches_the_python_reference(zoo, model, sample, measure):
    image = SAMPLES[sample]()
    response = post(zoo, image, "image/jpeg" if "jpeg" in sample else "application/octet-stream",
                    path=f"/models/{model.name}/predict")
    assert response.status == 200, response.body[:300]
    assert response.headers["content-type"] == "image/png"
    ours = grey(response.body)
    theirs = image_reference.depth_png(model, image)
    height, width = theirs.shape
    assert response.headers["x-tern-shape"] == f"{height},{width}"
    assert_close_levels(ours, theirs, f"{model.name} {sample}", measure if sample == "jpeg 640x480" else None)


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_labels_match_the_python_reference(zoo, sample):
    image = SAMPLES[sample]()
    response = post(zoo, image, "application/octet-stream", path=f"/models/{VIT.name}/predict?top_k=3")
    assert response.status == 200, response.body[:300]
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["model"] == VIT.name
    expected = image_reference.labels(VIT, image, top_k=3)
    assert [label["label"] for label in body["labels"]] == [label for label, _ in expected]
    for ours, (_, score) in zip(body["labels"], expected):
        assert abs(ours["score"] - score) <= 1e-4, (ours, score)


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_image_embeddings_match_the_python_reference_on_every_route(zoo, sample, measure):
    image = SAMPLES[sample]()
    expected = image_reference.embedding(CLIP, image)
    encoded = base64.b64encode(image).decode()
    predicted = post(zoo, image, "application/octet-stream", path=f"/models/{CLIP.name}/predict").json()["embedding"]
    openai_body = raw_http.request(zoo.port, "POST", "/v1/embeddings", json.dumps(
        {"model": CLIP.name, "input": [f"data:image/png;base64,{encoded}"]}).encode()).json()
    tei = raw_http.request(zoo.port, "POST", f"/models/{CLIP.name}/embed",
                           json.dumps({"inputs": [encoded]}).encode()).json()
    for route, vector in [("/predict", predicted), ("/v1/embeddings", openai_body["data"][0]["embedding"]),
                          ("/embed", tei[0])]:
        vector = np.asarray(vector, dtype=np.float64)
        cosine = float(vector @ expected / (np.linalg.norm(vector) * np.linalg.norm(expected)))
        assert cosine >= 0.9999, (route, cosine)
    if sample == "jpeg 640x480":
        measure(f"image embeddings ({CLIP.name}) vs transformers+onnxruntime: cosine {cosine:.6f}")


def test_the_openai_client_embeds_images(zoo):
    from openai import OpenAI

    client = OpenAI(base_url=f"{zoo.base_url}/v1", api_key="unused", max_retries=0)
    images = [image_samples.png_rgb8(seed=seed) for seed in range(3)]
    result = client.embeddings.create(
        model=CLIP.name, input=[base64.b64encode(image).decode() for image in images])
    assert len(result.data) == 3
    for row, image in zip(result.data, images):
        expected = image_reference.embedding(CLIP, image)
        vector = np.asarray(row.embedding)
        assert float(vector @ expected / np.linalg.norm(vector) / np.linalg.norm(expected)) >= 0.9999


# ---------------------------------------------------------------------------------------------------------------
# Input forms and Accept


def multipart(image: bytes, name: str = "image", filename: str = "photo.jpg", extra: dict | None = None):
    boundary = "----tern-test-boundary-7MA4YWxkTrZu0gW"
    parts = []
    for key, value in (extra or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        f"Content-Type: image/jpeg\r\n\r\n".encode() + image + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_every_input_form_gives_the_same_map(depth_server):
    image = image_samples.jpeg_baseline()
    encoded = base64.b64encode(image).decode()
    raw = post(depth_server, image, "image/jpeg")
    assert raw.status == 200
    forms = {
        "octet-stream": post(depth_server, image, "application/octet-stream"),
        "multipart image": post(depth_server, *multipart(image)),
        "multipart file": post(depth_server, *multipart(image, name="file")),
        "json base64": post(depth_server, json.dumps({"image": encoded}).encode(), "application/json"),
        "json data uri": post(
            depth_server, json.dumps({"image": "data:image/jpeg;base64," + encoded}).encode(), "application/json"),
        "named route": post(depth_server, image, "image/jpeg", path=f"/models/{DEPTH.name}/predict"),
        # What `curl --data-binary @photo.jpg` sends without -H: the bytes are an image all the same.
        "curl's default type": post(depth_server, image, "application/x-www-form-urlencoded"),
    }
    for form, response in forms.items():
        assert response.status == 200, (form, response.body[:200])
        assert response.body == raw.body, form
    # requests' own multipart encoder, as users upload files.
    uploaded = requests.post(f"{depth_server.base_url}/predict", files={"file": ("photo.jpg", image, "image/jpeg")})
    assert uploaded.status_code == 200 and uploaded.content == raw.body


def test_kserve_v2_bytes_input_decodes_jpeg_as_triton_clients_send_it(depth_server):
    image = image_samples.jpeg_baseline()
    client = httpclient.InferenceServerClient(f"127.0.0.1:{depth_server.port}")
    metadata = client.get_model_metadata(DEPTH.name)
    assert metadata["inputs"] == [{"name": "image", "datatype": "BYTES", "shape": [-1]}]
    for binary in (True, False):
        tensor = httpclient.InferInput("image", [1], "BYTES")
        tensor.set_data_from_numpy(np.array([image if binary else base64.b64encode(image)], dtype=np.object_),
                                   binary_data=binary)
        result = client.infer(DEPTH.name, [tensor])
        depth = result.as_numpy("depth")
        assert depth.shape == (1, 480, 640)
        ours = post(depth_server, image, "image/jpeg", accept="application/octet-stream")
        assert ours.headers["x-tern-shape"] == "480,640"
        assert np.array_equal(np.frombuffer(ours.body, dtype="<f4").reshape(480, 640), depth[0])


def test_accept_chooses_png_json_or_float32(depth_server):
    image = image_samples.jpeg_baseline()
    png = post(depth_server, image, "image/jpeg")
    as_json = post(depth_server, image, "image/jpeg", accept="application/json")
    floats = post(depth_server, image, "image/jpeg", accept="application/octet-stream")
    assert png.headers["content-type"] == "image/png"
    assert as_json.headers["content-type"] == "application/json"
    assert floats.headers["content-type"] == "application/octet-stream"
    body = as_json.json()
    assert (body["width"], body["height"], body["content_type"]) == (640, 480, "image/png")
    assert base64.b64decode(body["image"]) == png.body
    values = np.frombuffer(floats.body, dtype="<f4").reshape(480, 640)
    assert abs(values.min() - body["min"]) < 1e-6 and abs(values.max() - body["max"]) < 1e-6
    assert float(png.headers["x-tern-min"]) == pytest.approx(body["min"])
    levels = np.floor((values - values.min()) / (values.max() - values.min()) * 255).astype(np.uint8)
    assert np.array_equal(grey(png.body), levels)
    several = post(depth_server, json.dumps({"images": [base64.b64encode(image).decode()] * 2}).encode(),
                   "application/json")
    assert several.status == 200 and len(several.json()["predictions"]) == 2
    assert_tei_error(post(depth_server, image, "image/jpeg", accept="text/html"), 406, "Accept")
    coloured = post(depth_server, image, "image/jpeg", path="/predict?colormap=turbo")
    assert Image.open(io.BytesIO(coloured.body)).mode == "RGB"


# ---------------------------------------------------------------------------------------------------------------
# Image formats


FORMATS = {
    "progressive jpeg": image_samples.jpeg_progressive,
    "exif rotated jpeg": image_samples.jpeg_exif_rotated,
    "16-bit grey png": image_samples.png_grey16,
    "palette png": image_samples.png_palette,
    "grey png": image_samples.png_grey,
    "rgba png": image_samples.png_rgba,
    "lossy webp": image_samples.webp_lossy,
    "lossless webp": image_samples.webp_lossless,
}


@pytest.mark.parametrize("sample", sorted(FORMATS))
def test_every_format_decodes_like_the_reference(depth_server, sample):
    image = FORMATS[sample]()
    response = post(depth_server, image, "application/octet-stream")
    assert response.status == 200, response.body[:300]
    theirs = image_reference.depth_png(DEPTH, image)
    assert_close_levels(grey(response.body), theirs, sample)
    if sample == "exif rotated jpeg":
        # Orientation 6: the stored 640x480 picture is viewed as 480x640.
        assert grey(response.body).shape == (640, 480)


# ---------------------------------------------------------------------------------------------------------------
# Bad input


BAD = {
    "truncated jpeg": (image_samples.truncated_jpeg, "image/jpeg", 400),
    "random bytes": (image_samples.random_bytes, "application/octet-stream", 415),
    "gif body": (image_samples.gif, "image/jpeg", 415),
    "gif content type": (image_samples.gif, "image/gif", 415),
    "empty body": (image_samples.empty, "image/png", 400),
    "zero-size png": (image_samples.png_zero_size, "image/png", 400),
    "cmyk jpeg": (image_samples.jpeg_cmyk, "image/jpeg", 400),
    "text/plain": (lambda: b"hello, world", "text/plain", 415),
    "bad base64": (lambda: b'{"image": "not base64 !!"}', "application/json", 400),
    "json without image": (lambda: b'{"picture": "x"}', "application/json", 400),
    "multipart without boundary": (image_samples.jpeg_baseline, "multipart/form-data", 400),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_gets_its_status_and_the_error_json(depth_server, case):
    make, content_type, status = BAD[case]
    assert_tei_error(post(depth_server, make(), content_type), status)
    # The server still serves.
    assert post(depth_server, image_samples.png_rgb8(64, 48), "image/png").status == 200


def test_a_decompression_bomb_is_refused_from_its_header(depth_server, measure):
    bomb = image_samples.png_bomb(50_000)
    before = depth_server.rss_kib()
    started = time.perf_counter()
    response = post(depth_server, bomb, "image/png")
    elapsed = time.perf_counter() - started
    assert_tei_error(response, 413, "pixels")
    after = depth_server.rss_kib()
    assert elapsed < 0.5, elapsed
    assert after - before < 20_000, (before, after)
    measure(f"50000x50000 PNG header: 413 in {elapsed * 1000:.1f} ms, RSS {before} -> {after} KiB")


def test_the_pixel_limit_is_a_flag(tmp_path):
    server = TernProcess("--max-image-pixels", "100000", models=[DEPTH]).start()
    try:
        assert post(server, image_samples.png_rgb8(320, 240), "image/png").status == 200
        assert_tei_error(post(server, image_samples.png_rgb8(640, 480), "image/png"), 413, "100000")
    finally:
        assert server.stop() == 0


def test_bad_parameters_and_unknown_models(zoo):
    image = image_samples.png_rgb8(64, 48)
    assert_tei_error(post(zoo, image, "image/png", path=f"/models/{VIT.name}/predict?top_k=0"), 400, "top_k")
    assert_tei_error(post(zoo, image, "image/png", path=f"/models/{VIT.name}/predict", accept="image/png"), 406)
    assert_tei_error(post(zoo, image, "image/png", path="/models/nope/predict"), 404)
    assert_tei_error(post(zoo, image, "image/png", path=f"/models/{DPT.name}/predict?colormap=rainbow"), 400)
    # Several image models: an unnamed image goes nowhere, and the answer says where to send it.
    assert_tei_error(post(zoo, image, "image/png"), 404, "/models/{name}/predict")


# ---------------------------------------------------------------------------------------------------------------
# One process, text and image models side by side


def test_predict_is_shared_with_the_text_classifier_by_body(zoo):
    text = raw_http.request(zoo.port, "POST", f"/models/{TEXT_CLASSIFIER.name}/predict",
                            json.dumps({"inputs": "I love it"}).encode())
    assert text.status == 200 and isinstance(text.json(), list)
    unnamed_text = raw_http.request(zoo.port, "POST", "/predict", json.dumps({"inputs": "I love it"}).encode())
    assert unnamed_text.status == 200 and unnamed_text.json() == text.json()
    image = image_samples.png_rgb8(64, 48)
    named_image = post(zoo, json.dumps({"image": base64.b64encode(image).decode()}).encode(), "application/json",
                       path=f"/models/{VIT.name}/predict")
    assert named_image.status == 200 and "labels" in named_image.json()
    # Text embeddings still go to the text model, images to the image encoder.
    vectors = raw_http.request(zoo.port, "POST", "/v1/embeddings",
                               json.dumps({"input": "hello", "model": MINILM.name}).encode()).json()
    assert len(vectors["data"][0]["embedding"]) == 384
    listed = {model["id"] for model in raw_http.request(zoo.port, "GET", "/v1/models").json()["data"]}
    assert {DPT.name, VIT.name, CLIP.name, OCR.name, DEPTH.name, TEXT_CLASSIFIER.name, MINILM.name} <= listed


def test_concurrent_images_get_the_answers_they_get_alone(zoo):
    images = [image_samples.jpeg_baseline(320 + 32 * (i % 3), 240, seed=i) for i in range(12)]
    alone = [post(zoo, image, "image/jpeg", path=f"/models/{DPT.name}/predict").body for image in images]
    with ThreadPoolExecutor(12) as pool:
        together = list(pool.map(
            lambda image: post(zoo, image, "image/jpeg", path=f"/models/{DPT.name}/predict").body, images))
    assert together == alone


def test_an_image_model_in_a_repository(tmp_path):
    """A repository model whose `config.yaml` (beside its versions) holds the batching keys and the image keys."""
    model = tmp_path / "repo" / "depth"
    (model / "1").mkdir(parents=True)
    (model / "1" / "model.onnx").write_bytes((DEPTH / "model.onnx").read_bytes())
    config = (DEPTH / "config.yaml").read_text()
    (model / "config.yaml").write_text(config + "\nmax_batch_size: 4\n")
    server = TernProcess(repository=tmp_path / "repo").start()
    try:
        image = image_samples.jpeg_baseline()
        response = post(server, image, "image/jpeg", path="/models/depth/predict")
        assert response.status == 200, response.body[:300]
        assert_close_levels(grey(response.body), image_reference.depth_png(DEPTH, image), "repository depth")
        index = raw_http.request(server.port, "POST", "/v2/repository/index", b"{}").json()
        assert index == [{"name": "depth", "version": "1", "state": "READY", "reason": ""}]
    finally:
        assert server.stop() == 0


# ---------------------------------------------------------------------------------------------------------------
# Preprocessing alone


def _identity_model(path: Path) -> None:
    """A graph that returns its input flattened, [batch, 3*H*W]: served as an image encoder without normalisation,
    its "embedding" is the preprocessed tensor itself."""
    import onnx
    from onnx import TensorProto, helper

    pixels = helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", 3, "height", "width"])
    flat = helper.make_tensor_value_info("pooler_output", TensorProto.FLOAT, ["batch", "features"])
    graph = helper.make_graph([helper.make_node("Flatten", ["pixel_values"], ["pooler_output"], axis=1)],
                              "identity", [pixels], [flat])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    onnx.save(model, str(path))


@pytest.fixture(scope="module")
def preprocessors(tmp_path_factory):
    """For each test model, an identity graph with that model's preprocessing, all in one server."""
    import yaml

    root = tmp_path_factory.mktemp("preprocessors")
    directories = []
    for model in (DEPTH, OCR, DPT, VIT, CLIP):
        directory = root / model.name
        directory.mkdir()
        _identity_model(directory / "model.onnx")
        if (model / "preprocessor_config.json").is_file():
            (directory / "preprocessor_config.json").write_bytes((model / "preprocessor_config.json").read_bytes())
            (directory / "config.json").write_text(json.dumps({"architectures": ["CLIPVisionModel"]}))
            (directory / "config.yaml").write_text("postprocess: {normalize: false}\n")
        else:
            config = yaml.safe_load((model / "config.yaml").read_text())
            config.pop("input", None)
            config.pop("output", None)
            config.pop("postprocess", None)
            config["task"] = "image-embed"
            config["postprocess"] = {"normalize": False}
            (directory / "config.yaml").write_text(yaml.safe_dump(config))
        directories.append(directory)
    server = TernProcess(models=directories).start()
    yield server
    assert server.stop() == 0, server.stderr_tail()


@pytest.mark.parametrize("sample", ["jpeg 640x480", "png rgb"])
@pytest.mark.parametrize("model", [DEPTH, OCR, DPT, VIT, CLIP], ids=lambda path: path.name)
def test_preprocessed_tensors_match_the_reference_within_one_level(preprocessors, model, sample, measure):
    image = SAMPLES[sample]()
    response = post(preprocessors, image, "application/octet-stream", path=f"/models/{model.name}/predict",
                    accept="application/octet-stream")
    assert response.status == 200, response.body[:300]
    ours = np.frombuffer(response.body, dtype="<f4")
    theirs = image_reference.preprocessed_tensor(model, image).reshape(-1)
    assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
    # One grey level (1/255 before normalisation) in the units of the normalised tensor: divided by the std.
    if (model / "config.yaml").is_file():
        import yaml

        std = min(yaml.safe_load((model / "config.yaml").read_text())["preprocess"].get("std", [1.0]))
    else:
        std = min(json.loads((model / "preprocessor_config.json").read_text()).get("image_std", [1.0]))
    difference = float(np.abs(ours - theirs).max())
    assert difference <= (1 / 255) / std + 1e-5, difference
    if sample == "jpeg 640x480":
        measure(f"preprocessed tensor {model.name} vs reference: max |diff| {difference * std * 255:.3f} grey levels")
