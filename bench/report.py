#!/usr/bin/env python3
"""Turns wrk outputs into the foundation table of BENCHMARKS.md (medians over rounds, ratio to /health).

usage: report.py RAW RESULT_MD BENCHMARKS_MD COMMAND
"""
import os
import re
import statistics
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import machine, parse_wrk  # noqa: E402

START, END = "<!-- foundation:start -->", "<!-- foundation:end -->"


def parse(raw_path):
    """The wrk runs of the raw log, by scenario: each "== <scenario> round" header starts one."""
    chunks = []
    for line in open(raw_path):
        header = re.match(r"== (\S+) round", line)
        if header:
            chunks.append((header.group(1), []))
        elif chunks:
            chunks[-1][1].append(line)
    runs = {}
    for scenario, lines in chunks:
        run = parse_wrk("".join(lines))
        runs.setdefault(scenario, []).append({"scenario": scenario, "errors": run["failed"], **run})
    return runs


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def main(raw_path, result_path, benchmarks_path, command):
    runs = parse(raw_path)
    health, compute = runs["health"], runs["compute"]
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        "| scenario | req/s (median) | p50 ms | p99 ms | failed | rounds |",
        "|---|---|---|---|---|---|",
    ]
    for name, label in (("health", "`GET /health` (edge-local)"), ("compute", "`GET /compute?n=1` (routed to a worker)")):
        r = runs[name]
        rows.append(f"| {label} | {median(r, 'rps'):,.0f} | {median(r, 'p50'):.2f} | {median(r, 'p99'):.2f} | "
                    f"{sum(x['errors'] for x in r)} | {len(r)} |")
    ratio = median(compute, "rps") / median(health, "rps")
    p99_ratio = median(compute, "p99") / median(health, "p99")
    section = "\n".join([
        START,
        f"Measured {now} on {machine()}; wrk and Overseer (master + 2 workers) share the machine.",
        f"Command: `{command}`",
        "",
        *rows,
        "",
        f"Routed / edge-local: throughput **{ratio:.2f}x**, p99 **{p99_ratio:.2f}x** (same run).",
        END,
    ])
    open(result_path, "w").write(section + "\n\nRaw wrk output:\n\n```\n" + open(raw_path).read() + "```\n")
    text = open(benchmarks_path).read() if os.path.exists(benchmarks_path) else ""
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text += ("\n" if text else "") + section + "\n"
    open(benchmarks_path, "w").write(text)
    print(section)


if __name__ == "__main__":
    main(*sys.argv[1:5])
