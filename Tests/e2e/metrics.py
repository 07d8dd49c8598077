"""Reads Tern's Prometheus metrics."""
import re
import time

from raw_http import request


def scrape(port: int) -> dict[str, float]:
    """Every sample as {'name{labels}': value}."""
    text = request(port, "GET", "/metrics").body.decode()
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def value(port: int, name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels`."""
    total = 0.0
    for key, sample in scrape(port).items():
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})?", key)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            total += sample
    return total


def wait_for(port: int, condition, timeout: float = 60.0, what: str = "condition"):
    """Polls the metrics until `condition(port)` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition(port):
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not hold within {timeout} s; metrics: {scrape(port)}")
