#!/usr/bin/env python3
"""Idle memory of the master and a worker per JDK choice (issue 15, the JDK 25 AOT cache).

usage: bench/aotmemory.py [--rounds 2] [--settle 10] [--only 'JDK 25 +']

Each round, per variant, `bin/overseer run` of this checkout with the shipped configuration (as
bench/startup.py runs it): "25 + AOT caches" (OVERSEER_JAVA = the JDK that wrote them), "17 + CDS
archives" (bin/overseer's default: the PATH's java), "25, JDK's own archive" (startup.py's aot-caches
lever).
Once both web workers are online and `--settle` seconds have passed with no traffic but one routed
request, reads /proc/PID/smaps_rollup of the master and of each web worker: RSS, PSS and private
(clean + dirty), MiB; medians over rounds (workers: over both workers of every round). Prints a
markdown table; writes nothing.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, ensure_jars, machine, wait_for  # noqa: E402
from startup import START_TIMEOUT, WITH, WITHOUT, Run, get, loadavg  # noqa: E402

VARIANTS = {
    "JDK 25 + AOT caches": "+aot",
    "JDK 17 + CDS archives (default)": None,
    "JDK 25, the JDK's own archive": "aot-caches",
}


def rollup(pid):
    """(rss, pss, private) MiB of one process."""
    kb = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                kb[parts[0][:-1]] = int(parts[1])
    return (kb["Rss"] / 1024, kb["Pss"] / 1024, (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--settle", type=float, default=10)
    parser.add_argument("--only", default="", help="measure only the variants whose name starts so")
    args = parser.parse_args()
    ensure_jars(ROOT)
    figures = {name: {"master": [], "worker": []} for name in VARIANTS}
    loads = []
    for _ in range(args.rounds):
        for name, lever in VARIANTS.items():
            if not name.startswith(args.only):
                continue
            if lever and lever.startswith("+"):
                env, conf = WITH[lever[1:]]()
            else:
                env, conf = WITHOUT[lever]() if lever else ({}, "")
            loads.append(loadavg())
            run = Run(ROOT, env, conf)
            try:
                wait_for(lambda: len(run.online()) == 2, START_TIMEOUT, "both workers online", 0.1)
                get(run.http, "/compute?n=1")
                time.sleep(args.settle)  # a benchmark's idle period, not a wait for a condition
                figures[name]["master"].append(rollup(run.proc.pid))
                for pid in run.online().values():
                    figures[name]["worker"].append(rollup(pid))
            finally:
                run.stop()
            print(f"{name}: master {figures[name]['master'][-1]}, workers {figures[name]['worker'][-2:]}",
                  flush=True)
    print(f"\nMeasured on {machine()}; `bench/aotmemory.py --rounds {args.rounds} --settle {args.settle:g}`; "
          f"load average (1 min) {min(loads):.2f}–{max(loads):.2f}.\n")
    print("| JVMs | master RSS / PSS / private, MiB | worker RSS / PSS / private, MiB |")
    print("|---|---|---|")
    for name, f in figures.items():
        if not f["master"]:
            continue
        cells = [" / ".join(f"{statistics.median(x[i] for x in f[who]):.0f}" for i in range(3))
                 for who in ("master", "worker")]
        print(f"| {name} | {cells[0]} | {cells[1]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
