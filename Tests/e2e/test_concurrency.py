"""64 different requests in flight at once all succeed, and each answer equals the one that input gets alone:
dynamic batching must never mix up, drop or distort results."""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from embeddings_api import embed, max_abs_diff
from sentences import SENTENCES

CONCURRENCY = 64


def _requests(reference) -> list:
    """64 different inputs: single sentences of every length, small lists, and token ids."""
    requests = []
    for i in range(CONCURRENCY):
        kind = i % 4
        if kind == 0:
            requests.append(SENTENCES[i * 3 % len(SENTENCES)])
        elif kind == 1:
            requests.append([SENTENCES[(i * 7 + k) % len(SENTENCES)] for k in range(1 + i % 5)])
        elif kind == 2:
            requests.append(reference.token_ids(SENTENCES[(i * 11) % len(SENTENCES)]))
        else:
            requests.append([SENTENCES[(i * 13 + 5) % len(SENTENCES)]])
    return requests


def test_64_concurrent_requests_match_their_solo_answers(port, reference, measure):
    requests = _requests(reference)
    solo = [embed(port, inputs)[0] for inputs in requests]
    start = threading.Barrier(CONCURRENCY)

    def send(inputs):
        start.wait(timeout=60)
        return embed(port, inputs)[0]

    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        concurrent = list(pool.map(send, requests))

    diffs = [max_abs_diff(a, b) for a, b in zip(concurrent, solo)]
    worst = int(np.argmax(diffs))
    measure(f"concurrency: {CONCURRENCY} requests, max abs diff vs solo answers = {max(diffs):.3g}")
    assert max(diffs) <= 1e-5, f"request #{worst} ({str(requests[worst])[:80]}) differs by {diffs[worst]:.3g}"
