"""Flask peer, served by gunicorn: `gunicorn -w 2 flask_app:app` (with or without --preload).

The session is created at import, as most Flask deployments do; under --preload that happens once in the
master and the workers share the weights copy-on-write.
"""

from flask import Flask, jsonify, request

from embedder import Embedder, InvalidInput, error_body, parse_input, response_body

app = Flask(__name__)
embedder = Embedder.from_environment()


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/v1/embeddings")
def embeddings():
    try:
        texts = parse_input(request.get_json(silent=True))
    except InvalidInput as error:
        return jsonify(error_body(str(error))), 400
    return jsonify(response_body(embedder, texts))
