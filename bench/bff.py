#!/usr/bin/env python3
"""BFF benchmark: requests/s and p50/p99 of a BFF route with two upstream calls (product + inventory,
repaired by the shipped JSLT transform) against the demo backend, beside the backend called directly
for the same two resources, in the same run.

usage: bench/bff.py [--duration 10] [--connections 32]
Starts its own master (2 workers + the demo backend as a command app) on free loopback ports and
stops every process it started; writes the "bff" section of BENCHMARKS.md.
"""
import argparse
import json
import os
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (DIRECT_LUA, bff_bench_route, demo_backend_command, ensure_jars,  # noqa: E402
                      run_wrk, write_section)
from supervision import Master, free_port  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    ensure_jars()
    backend = free_port()
    # the backend as a command app of the same master (HOCON reads a JSON list), and the route calling it
    extra = (f"\noverseer.apps.backend {{ mode = command, command = {json.dumps(demo_backend_command(backend))} }}\n"
             + bff_bench_route(backend))
    master = Master(0, extra=extra)
    try:
        # Warm-up: the JIT needs more than a few seconds for the whole path (edge, worker, JSLT, client).
        run_wrk(master.url("/api/bench/1"), args.connections, 20)
        direct_url = f"http://127.0.0.1:{backend}"
        run_wrk(direct_url, args.connections, 3, DIRECT_LUA)
        bff = run_wrk(master.url("/api/bench/1"), args.connections, args.duration)
        direct = run_wrk(direct_url, args.connections, args.duration, DIRECT_LUA)
    finally:
        master.stop()
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    # The direct run makes one backend call per request; the BFF route makes two per request.
    section = write_section("bff", "BFF: a route with two upstream calls", [
        f"Measured {now}, {os.cpu_count()} cores; master + 2 workers + the demo backend (Java, 8 threads), "
        f"`wrk -c{args.connections} -d{args.duration}s`.",
        f"Command: `bench/bff.py --duration {args.duration} --connections {args.connections}`",
        "",
        "| target | req/s | p50 ms | p99 ms | backend calls/s | failed |",
        "|---|---|---|---|---|---|",
        f"| BFF `GET /api/bench/1` (product + inventory in parallel, JSLT repair) | {bff['rps']:,.0f} | "
        f"{bff['p50']:.2f} | {bff['p99']:.2f} | {2 * bff['rps']:,.0f} | {bff['failed']} |",
        f"| the backend directly (`/products/1`, `/inventory/1` alternately) | {direct['rps']:,.0f} | "
        f"{direct['p50']:.2f} | {direct['p99']:.2f} | {direct['rps']:,.0f} | {direct['failed']} |",
        "",
        f"Backend calls per second through the BFF / direct: **{2 * bff['rps'] / direct['rps']:.2f}x**; "
        f"p99 of one BFF answer (two calls) / p99 of one direct call: **{bff['p99'] / direct['p99']:.2f}x** "
        "(same run, same machine).",
    ])
    print(section)


if __name__ == "__main__":
    sys.exit(main())
