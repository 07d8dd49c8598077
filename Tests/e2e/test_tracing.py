"""Tracing: with `--otlp-endpoint`, a request's spans reach an OTLP/HTTP receiver, joined to the caller's trace."""

import secrets
import time

import raw_http
from otlp_receiver import OTLPReceiver
from opentelemetry.proto.trace.v1.trace_pb2 import Span
from tern_process import TernProcess


def wait_for_spans(receiver: OTLPReceiver, trace_id: str, names: set[str], timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        spans = receiver.spans_of_trace(trace_id)
        if names <= {span.name for span in spans}:
            return spans
        time.sleep(0.05)
    raise AssertionError(f"spans {names} of trace {trace_id} not received; got {receiver.spans_of_trace(trace_id)}")


def test_request_spans_join_the_callers_trace(monkeypatch):
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "100")  # export within 100 ms instead of 5 s
    with OTLPReceiver() as receiver:
        server = TernProcess("--otlp-endpoint", receiver.endpoint).start()
        try:
            trace_id, parent_id = secrets.token_hex(16), secrets.token_hex(8)
            response = raw_http.request(
                server.port,
                "POST",
                "/v1/embeddings",
                body=b'{"input": ["traced request", "second input"]}',
                headers={"traceparent": f"00-{trace_id}-{parent_id}-01", "X-Request-Id": "trace-test-1"},
            )
            assert response.status == 200
            spans = wait_for_spans(receiver, trace_id, {"POST /v1/embeddings", "tokenize", "queue", "inference"})

            by_name = {span.name: span for span in spans}
            root = by_name["POST /v1/embeddings"]
            assert root.parent_span_id == parent_id
            assert root.kind == Span.SPAN_KIND_SERVER
            assert root.service_name == "tern"
            assert root.attributes["http.route"] == "/v1/embeddings"
            assert root.attributes["http.response.status_code"] == 200
            assert root.attributes["tern.request_id"] == "trace-test-1"
            for name in ("tokenize", "queue", "inference"):
                child = by_name[name]
                assert child.parent_span_id == root.span_id, name
                assert root.start_ns <= child.start_ns <= child.end_ns <= root.end_ns, name
            # The phases follow one another.
            assert by_name["tokenize"].end_ns <= by_name["queue"].start_ns + 1_000_000
            assert by_name["queue"].end_ns <= by_name["inference"].start_ns + 1_000
            assert by_name["inference"].attributes["tern.tokens"] > 0
            assert set(receiver.content_types) == {"application/x-protobuf"}

            # Without a traceparent the server span starts a trace of its own.
            untraced = raw_http.request(server.port, "POST", "/embed", body=b'{"inputs": "no parent"}')
            assert untraced.status == 200
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not any(
                span.name == "POST /embed" for span in receiver.spans
            ):
                time.sleep(0.05)
            roots = [span for span in receiver.spans if span.name == "POST /embed"]
            assert len(roots) == 1 and roots[0].parent_span_id == "" and roots[0].trace_id != trace_id
        finally:
            server.stop()
