"""Plain HTTP/1.1 requests with exact control over the bytes sent, for tests the official client can't express."""

import http.client
import json
from dataclasses import dataclass


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)

    def json_or_none(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60.0,
    chunked: bool = False,
) -> Response:
    """One request on a fresh connection.

    A server may answer an oversized upload before reading all of it and close the connection; the send then
    fails with a broken pipe or reset, and the response already written is still read from the socket.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        try:
            if chunked:
                connection.request(method, path, body=iter([body[i : i + 1024] for i in range(0, len(body), 1024)]),
                                   headers=all_headers, encode_chunked=True)
            else:
                connection.request(method, path, body=body, headers=all_headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # read whatever answer the server managed to send
        response = connection.getresponse()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def post_json(port: int, payload, path: str = "/v1/embeddings", timeout: float = 60.0) -> Response:
    """POST `payload` serialised as JSON."""
    return request(port, "POST", path, json.dumps(payload).encode(), timeout=timeout)


def post_raw(port: int, body: bytes, path: str = "/v1/embeddings", **kwargs) -> Response:
    """POST these exact bytes as an application/json body."""
    return request(port, "POST", path, body, **kwargs)
