#!/usr/bin/env python3
"""Turns JMH's JSON results into BENCHMARKS.md tables: StrategyPickBenchmark's routing strategies, and
CodecBenchmark's encoding and decoding of the routed request (when the run included them).

usage: jmh_report.py RESULTS_JSON BENCHMARKS_MD COMMAND JMH_ARGS
"""
import json
import math
import os
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import machine  # noqa: E402

START, END = "<!-- jmh-strategies:start -->", "<!-- jmh-strategies:end -->"
HEADING = "## Routing strategies: cost of a pick (JMH)"
EXPLANATION = (
    "`bench/jmh.sh` times one `RoutingStrategy.pick` with JMH for each strategy over immutable lists of 2, 16 "
    "and 256 candidates with varied weights and loads, on one uncontended thread, and compares each with "
    "round-robin at the same size in the same run."
)
BASELINE = "ROUND_ROBIN"
# Table order, and the spelling config uses for each strategy.
KINDS = {
    "ROUND_ROBIN": "round-robin",
    "WEIGHTED_ROUND_ROBIN": "weighted-round-robin",
    "LEAST_OUTSTANDING": "least-outstanding",
    "POWER_OF_TWO_CHOICES": "power-of-two-choices",
}


def load(path):
    """{(kind, candidates): (score, error)} in ns/pick, and the JVM the forks ran on."""
    results, jvm = {}, ""
    for entry in json.load(open(path)):
        if "StrategyPickBenchmark" not in entry["benchmark"]:
            continue
        metric = entry["primaryMetric"]
        error = float(metric["scoreError"]) if metric["scoreError"] != "NaN" else math.nan
        key = (entry["params"]["kind"], int(entry["params"]["candidates"]))
        results[key] = (float(metric["score"]), error)
        jvm = entry.get("jvm", jvm)
    return results, jvm


def cell(score_error):
    score, error = score_error
    return f"{score:,.1f}" if math.isnan(error) else f"{score:,.1f} ± {error:,.1f}"


def table(results):
    sizes = sorted({size for _, size in results})
    head = "| strategy | " + " | ".join(f"{s} candidates: ns/pick | × round-robin" for s in sizes) + " |"
    rows = [head, "|---|" + "---|---|" * len(sizes)]
    kinds = list(KINDS) + sorted({k for k, _ in results} - set(KINDS))
    for kind in kinds:
        if not any((kind, s) in results for s in sizes):
            continue
        cells = []
        for size in sizes:
            if (kind, size) not in results:
                cells += ["–", "–"]
                continue
            base = results.get((BASELINE, size))
            ratio = f"{results[(kind, size)][0] / base[0]:.2f}x" if base else "–"
            cells += [cell(results[(kind, size)]), ratio]
        rows.append(f"| `{KINDS.get(kind, kind)}` | " + " | ".join(cells) + " |")
    return "\n".join(rows)


CODEC_START, CODEC_END = "<!-- jmh-codec:start -->", "<!-- jmh-codec:end -->"
CODEC_HEADING = "## The routed request's encoding and decoding (JMH)"
CODEC_EXPLANATION = (
    "`bench/jmh.sh` also times, per message of the routed path (the master's `Compute`, with its reply "
    "address, and the worker's `Computed`), one encoding and one decoding through Pekko's serialization "
    "with the serializer the protocol is bound to (`jackson-cbor`) and with `jackson-json`, in an actor "
    "system with the cluster provider, as Artery does it in each JVM."
)


def load_codec(path):
    """{(message, operation, format): (score, error)} in ns."""
    results = {}
    for entry in json.load(open(path)):
        if "CodecBenchmark" not in entry["benchmark"]:
            continue
        metric = entry["primaryMetric"]
        error = float(metric["scoreError"]) if metric["scoreError"] != "NaN" else math.nan
        operation = entry["benchmark"].rsplit(".", 1)[1]
        results[(entry["params"]["message"], operation, entry["params"]["format"])] = (float(metric["score"]), error)
    return results


def codec_table(results):
    rows = ["| message | operation | `jackson-cbor` ns (in use) | `jackson-json` ns | json ÷ cbor |", "|---|---|---|---|---|"]
    for message in ("compute", "computed"):
        for operation in ("encode", "decode"):
            cbor, json_ = results.get((message, operation, "jackson-cbor")), results.get((message, operation, "jackson-json"))
            if not cbor or not json_:
                continue
            name = "`Compute` (master → worker)" if message == "compute" else "`Computed` (worker → master)"
            rows.append(f"| {name} | {operation} | {cell(cbor)} | {cell(json_)} | {json_[0] / cbor[0]:.2f}x |")
    return "\n".join(rows)


def replace_section(text, start, end, heading, explanation, block):
    if start in text and end in text:
        before, rest = text.split(start, 1)
        return before + block + rest.split(end, 1)[1]
    return text.rstrip("\n") + f"\n\n{heading}\n\n{explanation}\n\n{block}\n"


def main(raw, benchmarks_md, command, jmh_args):
    results, jvm = load(raw)
    # JMH writes the file as the run ends: its time is the measurement's, even if the report is redone.
    when = datetime.fromtimestamp(os.path.getmtime(raw), timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    block = "\n".join([
        START,
        f"Measured {when} on {machine(jvm or 'java')}.",
        f"Command: `{command}` (JMH options `{jmh_args}`; mode average time, one benchmark thread).",
        "",
        table(results),
        "",
        "Score ± error is JMH's 99.9% confidence interval over the measured iterations. Ratios divide by "
        "round-robin at the same number of candidates; figures under a few ns are close to the cost of the "
        "benchmark call itself, so compare those loosely. Round-robin pays one atomic increment "
        "per pick; least-outstanding touches its counter only on a tie, and the seeded 2-candidate pool has none.",
        END,
    ])
    text = open(benchmarks_md).read() if os.path.exists(benchmarks_md) else "# Benchmarks\n"
    if results:
        text = replace_section(text, START, END, HEADING, EXPLANATION, block)
    codec = load_codec(raw)
    if codec:
        text = replace_section(text, CODEC_START, CODEC_END, CODEC_HEADING, CODEC_EXPLANATION, "\n".join([
            CODEC_START,
            f"Measured {when} on {machine(jvm or 'java')}.",
            f"Command: `{command}` (JMH options `{jmh_args}`; mode average time, one benchmark thread).",
            "",
            codec_table(codec),
            "",
            "Score ± error is JMH's 99.9% confidence interval. A routed request pays one encoding and one "
            "decoding of each message: about 2 µs of the ~63 µs of CPU it costs in all (routed path, above), so "
            "CBOR against JSON, or a hand-written codec, can move the routed throughput by a few per cent at most.",
            CODEC_END,
        ]))
    with open(benchmarks_md, "w") as out:
        out.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
