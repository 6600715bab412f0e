#!/usr/bin/env python3
"""Warm-up: how a fresh worker serves in its first seconds (issue 15, target 3).

usage: bench/warmup.py [--rounds 3] [--seconds 30] [--connections 64] [--no-write]

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
import os
import shutil
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


def overseer_round(connections, seconds):
    master = Master(0)
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


def worst(points, seconds=None):
    pts = [p for p in points if seconds is None or p["at"] < seconds]
    return min(p["rps"] for p in pts), max((p["p99"] or 0) for p in pts)


def summary(rounds, node):
    """The section's lines."""
    lines = [f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC} on {benchlib.machine()}; "
             f"load average (1 min) before the run: {os.getloadavg()[0]:.2f}.", ""]
    lines += ["| round | steady req/s | steady p99 ms | after start: lowest req/s ÷ steady | first 10 s p99 "
              "(bound) ÷ steady | after reload: lowest req/s ÷ steady | first 10 s p99 (bound) ÷ steady | "
              "reload took s | failed |",
              "|---|---|---|---|---|---|---|---|---|"]
    for i, r in enumerate(rounds, 1):
        s_rps, s_p99 = r["steady"]["rps"], r["steady"]["p99"]
        lo, p99 = worst(r["start"])
        _, p99_10 = worst(r["start"], FIRST_WINDOW)
        rlo, _ = worst(r["reload"])
        _, rp99_10 = worst(r["reload"], FIRST_WINDOW)
        failed = sum(p["failed"] for p in r["start"] + r["reload"])
        lines.append(f"| {i} | {s_rps:,.0f} | {s_p99:.2f} | {lo / s_rps:.2f} | {p99_10 / s_p99:.1f}x | "
                     f"{rlo / s_rps:.2f} | {rp99_10 / s_p99:.1f}x | {r['reload_s'] or 0:.1f} | {failed} |")
    lines += ["", "Per second (round 1), req/s and p99 ms: after start | after reload (new workers online at "
              + ", ".join(f"{t:.1f} s" for t in rounds[0]["online_at"]) + ")"
              + (" | Node `cluster` after its start" if node else ""), "",
              "| s | start req/s | p99 | reload req/s | p99 |" + (" cluster req/s | p99 |" if node else ""),
              "|---|---|---|---|---|" + ("---|---|" if node else "")]
    r0 = rounds[0]
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
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    benchlib.ensure_jars()
    rounds, node = [], []
    try:
        for i in range(args.rounds):
            print(f"round {i + 1}: overseer", flush=True)
            rounds.append(overseer_round(args.connections, args.seconds))
            print(f"round {i + 1}: node cluster", flush=True)
            node.append(cluster_round(args.connections, args.seconds))
    finally:
        stop_all()
    command = "bench/warmup.py " + " ".join(sys.argv[1:])
    body = [f"Command: `{command}` (wrk -t2 -c{args.connections}, 1 s runs back to back)."] + summary(rounds, node)
    print("\n".join(body))
    if not args.no_write:
        benchlib.write_section(SECTION, HEADING, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
