#!/usr/bin/env python3
"""Warm-up: how a fresh worker serves in its first seconds (issue 15, target 3).

usage: bench/warmup.py [--rounds 3] [--seconds 30] [--connections 64] [--variant NAME=HOCON]...
                        [--no-node] [--no-write]
  --variant NAME=HOCON  also measure the master with HOCON appended to its configuration file (the
                        workers read that file too), e.g. warm-up off:
                        'cold=overseer.worker.warm-up.enabled = off'; rounds alternate the shipped
                        configuration ("shipped") and each variant, and the summary gives each one's
                        medians: the levers compared in the same run
  --json FILE           also write every round's raw per-second figures to FILE

Every round starts a fresh Overseer (master + 2 worker JVMs, supervision.Master: free loopback ports,
its own OVERSEER_HOME) and, once both workers are online, runs back-to-back 1 s wrk runs on the routed
trivial route for --seconds: requests per second and p99 per second after a start. Then it warms the
workers until their throughput stops climbing and measures the steady state (one 10 s run), and
reloads the app (a rolling reload: every worker replaced) under the same 1 s runs, from the reload's
request to --seconds after it returned: the same per second, with the moments each new worker went
online. Node's `cluster` (bench/peers/cluster.js) gets the start curve in the same round, for scale.

The target: from the moment a new worker is routable, >= 50 % of its steady throughput, and p99 over
its first 10 s <= 3x the steady p99. The p99 of a window is bounded by the largest p99 of its seconds
(at most 1 % of each second's answers are slower than that second's p99, so at most 1 % of all), and
that bound is what is reported. Writes the "warmup" section of BENCHMARKS.md unless --no-write; every
process started is stopped by its pid.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from peerbench.systems import NodeCluster, stop_all  # noqa: E402
from supervision import Master  # noqa: E402

TRIVIAL = "/compute?n=1"
STEP = 1                     # s, one wrk run of a curve
WARM_STEP, WARM_MAX_RUNS, WARM_GAIN = 5, 12, 0.10
STEADY = 10                  # s, the steady-state run
FIRST_WINDOW = 10            # s, the window of the p99 target
SECTION, HEADING = "warmup", "Warm-up: the first seconds of a new worker"


def wrk_once(url, connections, seconds):
    out = subprocess.run(benchlib.wrk_command(url, connections, seconds), capture_output=True, text=True,
                         timeout=seconds + 60).stdout
    r = benchlib.parse_wrk(out)
    return {"rps": r.get("rps", 0.0), "p99": r.get("p99"), "failed": r.get("failed", 0)}


def curve(url, connections, seconds, until=None):
    """1 s wrk runs back to back for `seconds` s (and while until() is false): one entry per run,
    with its start (s from the curve's start)."""
    t0 = time.monotonic()
    points = []
    while time.monotonic() - t0 < seconds or (until is not None and not until()):
        at = time.monotonic() - t0
        points.append(dict(wrk_once(url, connections, STEP), at=at))
    return points


def warm(url, connections):
    last, flat = None, 0
    for _ in range(WARM_MAX_RUNS):
        rps = wrk_once(url, connections, WARM_STEP)["rps"]
        flat = flat + 1 if last and rps < last * (1 + WARM_GAIN) else 0
        last = rps
        if flat >= 2:
            return


def overseer_round(connections, seconds, extra=""):
    master = Master(0, extra=extra)
    try:
        url = master.url(TRIVIAL)
        start = curve(url, connections, seconds)
        warm(url, connections)
        steady = wrk_once(url, connections, STEADY)
        before = {w["pid"] for w in master.workers() if w["state"] == "online"}
        online_at, reloaded = [], threading.Event()
        t0 = time.monotonic()

        def reload():
            try:
                master.admin("/_admin/apps/web/reload", method="POST")
            finally:
                reloaded.set()

        def watch():
            seen = set()
            while not reloaded.is_set() or len(seen) < len(before):
                for w in master.workers():
                    if w["state"] == "online" and w["pid"] not in before and w["pid"] not in seen:
                        seen.add(w["pid"])
                        online_at.append(time.monotonic() - t0)
                if time.monotonic() - t0 > 300:
                    return
                time.sleep(0.05)

        threads = [threading.Thread(target=reload, daemon=True), threading.Thread(target=watch, daemon=True)]
        for t in threads:
            t.start()
        done_at = []

        def settled():
            """The reload returned --seconds ago (its return noted on the first look after it)."""
            if not reloaded.is_set():
                return False
            if not done_at:
                done_at.append(time.monotonic() - t0)
            return time.monotonic() - t0 - done_at[0] >= seconds

        after = curve(url, connections, seconds, until=settled)
        for t in threads:
            t.join(60)
        return {"start": start, "steady": steady, "reload": after, "online_at": online_at,
                "reload_s": done_at[0] if done_at else None}
    finally:
        master.stop()
        shutil.rmtree(master.dir, ignore_errors=True)


def cluster_round(connections, seconds):
    node = NodeCluster()
    try:
        return {"start": curve(f"http://127.0.0.1:{node.port}/", connections, seconds)}
    finally:
        stop_all()


def worst(points, seconds=None, since=0.0):
    """Lowest req/s and largest p99 of the 1 s runs that end after `since` and start within
    `seconds` of it (None: to the end)."""
    pts = [p for p in points if p["at"] + STEP > since and (seconds is None or p["at"] < since + seconds)]
    if not pts:
        return 0.0, 0.0
    return min(p["rps"] for p in pts), max((p["p99"] or 0) for p in pts)


def ratios(r):
    """The round's figures as ratios to its own steady state."""
    s_rps, s_p99 = r["steady"]["rps"], r["steady"]["p99"]
    routable = r["online_at"][0] if r["online_at"] else 0.0
    lo, _ = worst(r["start"])
    _, p99_10 = worst(r["start"], FIRST_WINDOW)
    rlo, _ = worst(r["reload"])
    olo, _ = worst(r["reload"], since=routable)
    window = [p["rps"] for p in r["reload"] if p["at"] + STEP > routable and p["at"] < routable + FIRST_WINDOW]
    _, op99_10 = worst(r["reload"], FIRST_WINDOW, since=routable)
    return {"steady": s_rps, "p99": s_p99, "start_lo": lo / s_rps, "start_p99": p99_10 / s_p99,
            "reload_lo": rlo / s_rps, "routable_lo": olo / s_rps,
            "routable_mean": (statistics.mean(window) if window else 0.0) / s_rps, "routable_p99": op99_10 / s_p99,
            "reload_s": r["reload_s"] or 0.0,
            "failed": sum(p["failed"] for p in r["start"] + r["reload"])}


def summary(results, node, loads):
    """The section's lines; results: variant -> its rounds."""
    lines = [f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC} on {benchlib.machine()}; "
             f"load average (1 min) before each round: {min(loads):.2f}–{max(loads):.2f} "
             f"(median {statistics.median(loads):.2f}).", ""]
    header = ("| variant | round | steady req/s | steady p99 ms | after start: lowest req/s ÷ steady | "
              "first 10 s p99 (bound) ÷ steady | after reload: lowest req/s ÷ steady | from the first new "
              "worker routable: lowest req/s ÷ steady | its first 10 s: mean req/s ÷ steady | p99 (bound) ÷ steady | "
              "reload took s | failed |")
    lines += [header, "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, rounds in results.items():
        for i, r in enumerate(rounds, 1):
            q = ratios(r)
            lines.append(f"| {name} | {i} | {q['steady']:,.0f} | {q['p99']:.2f} | {q['start_lo']:.2f} | "
                         f"{q['start_p99']:.1f}x | {q['reload_lo']:.2f} | {q['routable_lo']:.2f} | {q['routable_mean']:.2f} | "
                         f"{q['routable_p99']:.1f}x | {q['reload_s']:.1f} | {q['failed']} |")
    if len(results) > 1:
        lines += ["", "Medians over the rounds of each variant:", "",
                  "| variant | after start: lowest ÷ steady | first 10 s p99 ÷ steady | after reload: lowest "
                  "÷ steady | from routable: lowest ÷ steady | its first 10 s: mean ÷ steady | p99 ÷ steady | "
                  "reload took s |",
                  "|---|---|---|---|---|---|---|---|"]
        for name, rounds in results.items():
            qs = [ratios(r) for r in rounds]

            def med(key):
                return statistics.median(q[key] for q in qs)
            lines.append(f"| {name} | {med('start_lo'):.2f} | {med('start_p99'):.1f}x | {med('reload_lo'):.2f} | "
                         f"{med('routable_lo'):.2f} | {med('routable_mean'):.2f} | {med('routable_p99'):.1f}x | "
                         f"{med('reload_s'):.1f} |")
    for name, rounds in results.items():
        r0 = rounds[0]
        lines += ["", f"Per second ({name}, round 1), req/s and p99 ms: after start | after reload (new workers "
                  "online at " + ", ".join(f"{t:.1f} s" for t in r0["online_at"]) + ")"
                  + (" | Node `cluster` after its start" if node else ""), "",
                  "| s | start req/s | p99 | reload req/s | p99 |" + (" cluster req/s | p99 |" if node else ""),
                  "|---|---|---|---|---|" + ("---|---|" if node else "")]
        for k in range(max(len(r0["start"]), len(r0["reload"]))):
            cells = []
            for pts in [r0["start"], r0["reload"]] + ([node[0]["start"]] if node else []):
                p = pts[k] if k < len(pts) else None
                cells += [f"{p['rps']:,.0f}", f"{p['p99'] or 0:.1f}"] if p else ["", ""]
            lines.append(f"| {k + 1} | " + " | ".join(cells) + " |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=HOCON")
    parser.add_argument("--no-node", action="store_true")
    parser.add_argument("--json", metavar="FILE", help="also write every round's raw figures here")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    variants = {"shipped": ""}
    for v in args.variant:
        name, sep, hocon = v.partition("=")
        if not sep or not name or name in variants:
            parser.error(f"--variant wants a new NAME=HOCON, got {v!r}")
        variants[name] = hocon
    benchlib.ensure_jars()
    results, node, loads = {name: [] for name in variants}, [], []
    try:
        for i in range(args.rounds):
            for name, extra in variants.items():
                loads.append(os.getloadavg()[0])
                print(f"round {i + 1}: overseer, {name} (load {loads[-1]:.2f})", flush=True)
                results[name].append(overseer_round(args.connections, args.seconds, extra))
                q = ratios(results[name][-1])
                print(f"  steady {q['steady']:,.0f} req/s; after start lowest {q['start_lo']:.2f}; after "
                      f"reload lowest {q['reload_lo']:.2f}, from routable {q['routable_lo']:.2f} (mean "
                      f"{q['routable_mean']:.2f}), p99 {q['routable_p99']:.1f}x", flush=True)
                if args.json:
                    with open(args.json, "w") as f:
                        json.dump({"variants": variants, "results": results}, f)
            if not args.no_node:
                print(f"round {i + 1}: node cluster", flush=True)
                node.append(cluster_round(args.connections, args.seconds))
    finally:
        stop_all()
    command = "bench/warmup.py " + " ".join(
        a if a.replace("-", "").replace("_", "").isalnum() else repr(a) for a in sys.argv[1:])
    body = [f"Command: `{command}` (wrk -t2 -c{args.connections}, 1 s runs back to back)."]
    if len(variants) > 1:
        body += ["", "Variants (HOCON appended to the master's configuration file): "
                 + "; ".join(f"{n}: `{h}`" for n, h in variants.items() if h) + "."]
    body += summary(results, node, loads)
    print("\n".join(body))
    if not args.no_write:
        benchlib.write_section(SECTION, HEADING, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
