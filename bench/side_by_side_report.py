"""Renders a side-by-side run (the dict bench/side_by_side.py builds) as results.md, throughput.png and
latency.png, and checks it against the goals of issue 7. Also: `python bench/side_by_side_report.py FOLDER`
re-renders a folder from its results.json."""

import json
import math
import sys
from pathlib import Path

GOAL_DEADLINE_MS = 30_000.0
OPEN_SHARES = (0.5, 1.0, 2.0)


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f}"


def ms(value: float) -> str:
    return "-" if value is None or math.isnan(value) else (f"{value:.0f}" if value >= 10 else f"{value:.1f}")


def non_200(statuses: dict, socket_errors: dict | None = None) -> str:
    parts = [f"{code}: {count}" for code, count in sorted(statuses.items()) if code != "200" and count]
    parts += [f"{name}: {count}" for name, count in (socket_errors or {}).items() if count]
    return ", ".join(parts) or "0"


def closed(record: dict, connections: int, per_request: int = 1) -> dict | None:
    return next((p for p in record["points"] if p["kind"] == "closed" and p["connections"] == connections
                 and p["per_request"] == per_request), None)


def open_points(record: dict) -> list[dict]:
    return [p for p in record["points"] if p["kind"] == "open"]


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


# --- goals --------------------------------------------------------------------------------------------------

def goals(run: dict, model: str) -> list[tuple[str, str, bool | None]]:
    """(goal, measured, met) for one model; met is None where the run lacks what the goal needs."""
    records = {r["server"]: r for r in run["servers"] if r["model"] == model and "error" not in r}
    tern = records.get("tern")
    python = {name: r for name, r in records.items() if name != "tern"}
    rows: list[tuple[str, str, bool | None]] = []
    if tern is None or not python:
        return [("all goals", "Tern or every Python server is missing from this run", None)]
    ceiling = run["ceilings"][model]["sentences_per_s"]
    for connections in (32, 256):
        best_name = max(python, key=lambda n: closed(python[n], connections)["sentences_per_s"])
        best = closed(python[best_name], connections)["sentences_per_s"]
        mine = closed(tern, connections)["sentences_per_s"]
        rows.append((f"sentences/s, 1 sentence/request, {connections} connections >= 1.25x best Python",
                     f"{mine:.0f} vs {best:.0f} ({best_name}) = {ratio(mine, best):.2f}x", mine >= 1.25 * best))
        rows.append((f"sentences/s, 1 sentence/request, {connections} connections >= 1.0x in-process ceiling",
                     f"{mine:.0f} vs {ceiling:.0f} = {ratio(mine, ceiling):.2f}x", mine >= ceiling))
    best_name = max(python, key=lambda n: python[n]["saturation_rate"])
    theirs = next(p for p in open_points(python[best_name]) if p["share"] == 1.0)
    mine = next((p for p in open_points(tern) if p["share"] is None), None)
    if mine is None:
        rows.append(("p99 at the best Python saturation rate <= 0.5x its p99", "not measured", None))
    else:
        rows.append((f"p99 at the best Python saturation rate ({best_name}, {theirs['offered_rate']:.0f}/s) "
                     "<= 0.5x its p99", f"{ms(mine['p99_ms'])} vs {ms(theirs['p99_ms'])} ms = "
                     f"{ratio(mine['p99_ms'], theirs['p99_ms']):.2f}x", mine["p99_ms"] <= 0.5 * theirs["p99_ms"]))
    overload = next(p for p in open_points(tern) if p["share"] == 2.0)
    rejected = overload["statuses"].get("429", 0)
    others = sum(v for k, v in overload["statuses"].items() if k not in ("200", "429"))
    rows.append(("at 200% load: accepted p99 within the 30 s deadline, excess refused with 429",
                 f"p99 {ms(overload['p99_ms'])} ms; {rejected} x 429 of {overload['requests']}; {others} other",
                 overload["p99_ms"] <= GOAL_DEADLINE_MS and rejected > 0 and others == 0))
    reference = python.get("gunicorn -w 2")
    if reference is not None:
        for key in ("rss", "pss"):
            for label, of in (("idle", lambda r: r["idle_kib"]), ("peak at 256 connections",
                                                                   lambda r: closed(r, 256)["peak_kib"])):
                mine_kib, theirs_kib = of(tern)[key], of(reference)[key]
                rows.append((f"{key.upper()} of the whole tree, {label} <= 0.5x gunicorn -w 2",
                             f"{mib(mine_kib)} vs {mib(theirs_kib)} MiB = {ratio(mine_kib, theirs_kib):.2f}x",
                             mine_kib <= 0.5 * theirs_kib))
    for key in ("rss", "pss"):
        low, high = closed(tern, 1)["peak_kib"][key], closed(tern, 256)["peak_kib"][key]
        rows.append((f"{key.upper()} flat (within 5%) from 1 to 256 connections",
                     f"{mib(low)} -> {mib(high)} MiB = {ratio(high, low):.2f}x", high <= 1.05 * low))
    uvicorn = python.get("uvicorn --workers 2")
    if uvicorn is not None:
        rows.append(("time to ready <= 0.5x uvicorn --workers 2",
                     f"{tern['ready_s']:.2f} vs {uvicorn['ready_s']:.2f} s = "
                     f"{ratio(tern['ready_s'], uvicorn['ready_s']):.2f}x", tern["ready_s"] <= 0.5 * uvicorn["ready_s"]))
    return rows


# --- Markdown -----------------------------------------------------------------------------------------------

def markdown(run: dict) -> str:
    machine, versions, settings = run["machine"], run["versions"], run["settings"]
    lines = [
        f"# Tern against the Python stacks, {run['started']}",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, Linux "
        f"{machine['kernel']}.",
        "Versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()) + ".",
        f"Command: `{run['command']}` ({settings['duration']:g} s per closed-loop point after "
        f"{settings['warmup']:g} s of warm-up, {settings['open_seconds']:g} s per open-loop schedule).",
    ]
    if "wall_s" in run:
        lines.append(f"Load average {run['load_average_before'][0]:.2f} before, {run['load_average_after'][0]:.2f} "
                     f"after; {run['wall_s']:.0f} s in all; other processes used {run['other_cpu_s']:.0f} CPU-s = "
                     f"{run['other_cpu_share']:.0%} of the machine during the run.")
    else:
        lines.append(f"Load average {run['load_average_before'][0]:.2f} before. Run incomplete.")
    for model, ceiling in run["ceilings"].items():
        records = [r for r in run["servers"] if r["model"] == model]
        by_batch = ", ".join(f"{size}: {rate:.0f}" for size, rate in ceiling["by_batch"].items())
        lines += ["", f"## {model}", "",
                  f"In-process ONNX Runtime ceiling (Python, no HTTP, {machine['cores']} threads): "
                  f"{ceiling['sentences_per_s']:.0f} sentences/s at batch {ceiling['batch']} ({by_batch}).", "",
                  "### Closed loop (wrk): sentences/s, latency p50 / p90 / p99 / max in ms", "",
                  "| server | 1 conn | 32 conn | p50/p90/p99/max @32 | 256 conn | p50/p90/p99/max @256 | "
                  "32/request @8 conn | p99 @8x32 | not 200 | server cores @32 | wrk CPU |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for record in records:
            if "error" in record:
                lines.append(f"| {record['server']} | failed: {record['error'].splitlines()[0]} |")
                continue
            points = [closed(record, c, n) for c, n in ((1, 1), (32, 1), (256, 1), (8, 32))]
            one, mid, high, batch = points
            errors = "; ".join(f"{label}: {text}" for label, text in zip(("@1", "@32", "@256", "@8x32"), (
                non_200(p["statuses"], p["socket_errors"]) for p in points)) if text != "0") or "0"
            lines.append(
                f"| {record['server']} | {one['sentences_per_s']:.0f} | {mid['sentences_per_s']:.0f} | "
                f"{' / '.join(ms(mid[k]) for k in ('p50_ms', 'p90_ms', 'p99_ms', 'max_ms'))} | "
                f"{high['sentences_per_s']:.0f} | "
                f"{' / '.join(ms(high[k]) for k in ('p50_ms', 'p90_ms', 'p99_ms', 'max_ms'))} | "
                f"{batch['sentences_per_s']:.0f} | {ms(batch['p99_ms'])} | {errors} | {mid['server_cores']:.2f} | "
                f"{max(p['generator_share'] for p in points):.0%} |")
        lines += ["", "### Open loop (fixed schedule, latency from the scheduled send, accepted requests)", "",
                  "| server | load | offered/s | answered 200/s | p50 / p90 / p99 / max ms | outcomes | "
                  "generator CPU |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for record in records:
            for point in ([] if "error" in record else open_points(record)):
                outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(point["statuses"].items()))
                lines.append(
                    f"| {record['server']} | {point['label']} | {point['offered_rate']:.0f} | "
                    f"{point['requests_per_s']:.0f} | "
                    f"{' / '.join(ms(point[k]) for k in ('p50_ms', 'p90_ms', 'p99_ms', 'max_ms'))} | {outcomes} | "
                    f"{point['generator_share']:.0%} |")
        lines += ["", "### Start-up and memory of the whole process tree (MiB)", "",
                  "| server | processes | time to ready | RSS / PSS idle | peak @1 conn | peak @256 conn | "
                  "peak @8x32 | after the run |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for record in records:
            if "error" in record:
                continue
            pair = lambda kib: f"{mib(kib['rss'])} / {mib(kib['pss'])}"  # noqa: E731
            lines.append(
                f"| {record['server']} | {record['idle_kib']['processes']} | {record['ready_s']:.2f} s | "
                f"{pair(record['idle_kib'])} | {pair(closed(record, 1)['peak_kib'])} | "
                f"{pair(closed(record, 256)['peak_kib'])} | {pair(closed(record, 8, 32)['peak_kib'])} | "
                f"{pair(record.get('after_kib', record['idle_kib']))} |")
        lines += ["", "### Goals (issue 7)", "", "| goal | measured | met |", "| --- | --- | --- |"]
        for goal, measured, met in goals(run, model):
            lines.append(f"| {goal} | {measured} | {'-' if met is None else ('yes' if met else '**missed**')} |")
    return "\n".join(lines) + "\n"


def summary(run: dict) -> str:
    """The compact per-model table and the goals, as docs/benchmarks.md quotes them."""
    lines = []
    for model, ceiling in run["ceilings"].items():
        records = [r for r in run["servers"] if r["model"] == model and "error" not in r]
        lines += ["", f"**{model}** (in-process ceiling {ceiling['sentences_per_s']:.0f} sentences/s at batch "
                  f"{ceiling['batch']})", "",
                  "| server | sentences/s 1/req @1 / @32 / @256 conn | 32/req @8 | p99 @32 / @256 ms | "
                  "open loop p99 at 50% / 100% / 200% of own saturation, ms | ready | RSS / PSS idle -> peak @256, "
                  "MiB |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for record in records:
            rates = " / ".join(f"{closed(record, c)['sentences_per_s']:.0f}" for c in (1, 32, 256))
            p99s = " / ".join(ms(closed(record, c)["p99_ms"]) for c in (32, 256))
            shares = {p["share"]: p for p in open_points(record)}
            opens = " / ".join(ms(shares[s]["p99_ms"]) if s in shares else "-" for s in OPEN_SHARES)
            idle, peak = record["idle_kib"], closed(record, 256)["peak_kib"]
            lines.append(f"| {record['server']} | {rates} | {closed(record, 8, 32)['sentences_per_s']:.0f} | {p99s} | "
                         f"{opens} | {record['ready_s']:.2f} s | {mib(idle['rss'])} / {mib(idle['pss'])} -> "
                         f"{mib(peak['rss'])} / {mib(peak['pss'])} |")
        lines += ["", "| goal | measured | met |", "| --- | --- | --- |"]
        for goal, measured, met in goals(run, model):
            lines.append(f"| {goal} | {measured} | {'-' if met is None else ('yes' if met else '**missed**')} |")
    return "\n".join(lines) + "\n"


# --- plots --------------------------------------------------------------------------------------------------

def plot(run: dict, folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    models = list(run["ceilings"])
    workloads = [((1, 1), "1/req, 1 conn"), ((32, 1), "1/req, 32 conn"), ((256, 1), "1/req, 256 conn"),
                 ((8, 32), "32/req, 8 conn")]
    figure, axes = plt.subplots(1, len(models), figsize=(7 * len(models), 4.5), squeeze=False)
    for axis, model in zip(axes[0], models):
        records = [r for r in run["servers"] if r["model"] == model and "error" not in r]
        width = 0.8 / max(len(records), 1)
        for index, record in enumerate(records):
            values = [closed(record, c, n)["sentences_per_s"] for (c, n), _ in workloads]
            axis.bar([w + index * width for w in range(len(workloads))], values, width, label=record["server"])
        axis.axhline(run["ceilings"][model]["sentences_per_s"], color="black", linestyle="--",
                     label="in-process ORT ceiling")
        axis.set_xticks([w + width * (len(records) - 1) / 2 for w in range(len(workloads))],
                        [label for _, label in workloads])
        axis.set_title(f"{model}: closed-loop throughput")
        axis.set_ylabel("sentences/s")
        axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(folder / "throughput.png", dpi=110)
    plt.close(figure)

    figure, axes = plt.subplots(1, len(models), figsize=(7 * len(models), 4.5), squeeze=False)
    for axis, model in zip(axes[0], models):
        for record in (r for r in run["servers"] if r["model"] == model and "error" not in r):
            points = sorted(open_points(record), key=lambda p: p["offered_rate"])
            rates = [p["offered_rate"] for p in points]
            line, = axis.plot(rates, [p["p99_ms"] for p in points], marker="o", label=f"{record['server']} p99")
            axis.plot(rates, [p["p50_ms"] for p in points], marker=".", linestyle=":", color=line.get_color())
        axis.axhline(GOAL_DEADLINE_MS, color="grey", linestyle="--", label="Tern deadline (30 s)")
        axis.set_yscale("log")
        axis.set_xlabel("offered load, requests/s (1 sentence each)")
        axis.set_ylabel("latency of accepted requests, ms (p99 solid, p50 dotted)")
        axis.set_title(f"{model}: latency vs load (open loop)")
        axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(folder / "latency.png", dpi=110)
    plt.close(figure)


def write(run: dict, folder: Path) -> None:
    (folder / "results.md").write_text(markdown(run) + "\n## Summary\n" + summary(run))
    plot(run, folder)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    write(json.loads((target / "results.json").read_text()), target)
    print((target / "results.md").read_text())
