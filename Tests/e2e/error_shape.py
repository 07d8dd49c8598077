"""Checks for the OpenAI error envelope: {"error": {"message", "type", "param", "code"}}."""

from raw_http import Response


def assert_error(response: Response, status: int, codes: str | set[str] | None, error_type="invalid_request_error"):
    """`response` has `status` and the exact OpenAI error shape, with `code` in `codes` (None: any str or null)."""
    assert response.status == status, f"expected {status}, got {response.status}: {response.body[:300]!r}"
    assert response.headers.get("content-type", "").startswith("application/json"), response.headers
    body = response.json()
    assert set(body) == {"error"}, f"top-level keys {sorted(body)}"
    error = body["error"]
    assert set(error) == {"message", "type", "param", "code"}, f"error keys {sorted(error)}"
    assert isinstance(error["message"], str) and error["message"], "message must be a non-empty string"
    assert error["param"] is None or isinstance(error["param"], str), f"param {error['param']!r}"
    assert error["code"] is None or isinstance(error["code"], str), f"code {error['code']!r}"
    if error_type is not None:
        assert error["type"] == error_type, f"type {error['type']!r}, expected {error_type!r}"
    else:
        assert isinstance(error["type"], str) and error["type"]
    if codes is not None:
        allowed = {codes} if isinstance(codes, str) else codes
        assert error["code"] in allowed, f"code {error['code']!r}, expected one of {sorted(allowed)}: {error}"
