#!/usr/bin/env python3
"""Routing benchmark: p50/p99 per strategy with one slow worker among three, and failed requests
when a worker is killed with SIGKILL under wrk load.

usage: bench/routing.py [--duration 10] [--connections 32] [--slow-delay 20ms]
Starts its own masters on free loopback ports (OVERSEER_HOME in temp dirs), kills only pids read
from its own master's admin API, stops every process it started, and writes the "routing"
section of BENCHMARKS.md.
"""
import argparse
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ensure_jars, run_wrk, wrk_command, wrk_summary, write_section  # noqa: E402
from supervision import Master  # noqa: E402  (the shared harness)


def strategies(args):
    results = {}
    for strategy in ("round-robin", "least-outstanding", "power-of-two-choices", "weighted-round-robin"):
        extra = (f'overseer.compute.strategy = {strategy}\n'
                 f'overseer.apps.web.jvm-options = ["-XX:+UseSerialGC", "-Xmx256m", '
                 f'"-Doverseer.worker.chaos.slow-instances.0=2", "-Doverseer.worker.chaos.slow-delay={args.slow_delay}"]')
        master = Master(0, instances=3, extra=extra)
        try:
            run_wrk(master.url("/compute?n=1000"), args.connections, 3)  # warm-up
            results[strategy] = run_wrk(master.url("/compute?n=1000"), args.connections, args.duration)
        finally:
            master.stop()
    return results


def kill_under_load(args):
    master = Master(0)
    try:
        victim = next(w for w in master.workers() if w["id"] == "web-0")["pid"]
        proc = subprocess.Popen(wrk_command(master.url("/compute?n=1000"), args.connections, args.duration,
                                            latency=False), stdout=subprocess.PIPE, text=True)
        time.sleep(args.duration / 3)
        os.kill(victim, signal.SIGKILL)
        summary = wrk_summary(proc.communicate(timeout=args.duration * 3)[0])
        return summary["total"], summary["failed"]
    finally:
        master.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--slow-delay", default="20ms")
    args = parser.parse_args()
    ensure_jars()
    results = strategies(args)
    total, failed = kill_under_load(args)
    rr = results["round-robin"]
    rows = ["| strategy | req/s | p50 ms | p99 ms | p50 / RR | p99 / RR | failed |", "|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        rows.append(f"| {name} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['p50'] / rr['p50']:.2f}x | "
                    f"{r['p99'] / rr['p99']:.2f}x | {r['failed']} |")
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = write_section("routing", "Routing: strategies with a slow worker, and kill -9 under load", [
        f"Measured {now}, {os.cpu_count()} cores; master + 3 workers, worker 2 slowed by {args.slow_delay} per request "
        f"(chaos setting); `wrk -c{args.connections} -d{args.duration}s` on `/compute?n=1000`.",
        f"Command: `bench/routing.py --duration {args.duration} --connections {args.connections} "
        f"--slow-delay {args.slow_delay}`",
        "",
        *rows,
        "",
        f"`kill -9` of one of 2 workers under `wrk -c{args.connections}` (idempotent route): "
        f"**{failed} failed** of {total} requests.",
    ])
    print(section)


if __name__ == "__main__":
    sys.exit(main())
