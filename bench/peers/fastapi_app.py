"""FastAPI peer, served by uvicorn: `uvicorn fastapi_app:app --workers 2`.

The route is a plain `def`, so FastAPI runs it on its thread pool and the event loop stays free while ONNX
Runtime (which releases the GIL) computes; that is the usual way to serve a blocking model with FastAPI.
"""

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from embedder import Embedder, InvalidInput, error_body, parse_input, response_body

app = FastAPI()
embedder = Embedder.from_environment()


class EmbeddingRequest(BaseModel):
    input: str | list[str]
    model: str | None = None
    encoding_format: str | None = None


@app.get("/health")
def health():
    return {"status": "ok"}


@app.post("/v1/embeddings")
def embeddings(request: EmbeddingRequest):
    try:
        texts = parse_input(request.model_dump())
    except InvalidInput as error:
        return JSONResponse(error_body(str(error)), status_code=400)
    return response_body(embedder, texts)
