#!/usr/bin/env python3
"""Turns JMH's JSON results for StrategyPickBenchmark into the routing-strategies table of BENCHMARKS.md.

usage: jmh_report.py RESULTS_JSON BENCHMARKS_MD COMMAND JMH_ARGS
"""
import json
import math
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone

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
        metric = entry["primaryMetric"]
        error = float(metric["scoreError"]) if metric["scoreError"] != "NaN" else math.nan
        key = (entry["params"]["kind"], int(entry["params"]["candidates"]))
        results[key] = (float(metric["score"]), error)
        jvm = entry.get("jvm", jvm)
    return results, jvm


def machine(jvm):
    cpu = "unknown cpu"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    java = jvm or "java"
    version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    return f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, `java -version`: " + "; ".join(version)


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


def main(raw, benchmarks_md, command, jmh_args):
    results, jvm = load(raw)
    # JMH writes the file as the run ends: its time is the measurement's, even if the report is redone.
    when = datetime.fromtimestamp(os.path.getmtime(raw), timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    block = "\n".join([
        START,
        f"Measured {when} on {machine(jvm)}.",
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
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n\n{EXPLANATION}\n\n{block}\n"
    with open(benchmarks_md, "w") as out:
        out.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
