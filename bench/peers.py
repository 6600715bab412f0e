#!/usr/bin/env python3
"""Overseer side by side with its peers: Node's `cluster`, `pm2 start -i 2`, nginx in front of Node (issues 6, 15).

usage: bench/peers.py [--rounds 3] [--duration 10s] [--quick] [--no-write] [--only LIST]
(normally through bench/peers.sh, which installs wrk and pm2 and builds the jars first)
  --rounds N       rounds of every scenario (default 3); medians over them
  --duration D     one timed wrk run of scenarios 1, 2 and 6 (default 10s)
  --quick          1 round of 3 s runs and short warm-ups: for development (the JVMs' JITs are still
                   cold then: Overseer's figures come out 2-4x below a full run's)
  --no-write       leave BENCHMARKS.md alone (the results still go to bench/results/)
  --only LIST      run only these scenarios, by number or name, comma-separated: 1 throughput,
                   2 blocking, 3 kill, 4 reload, 5 start, 6 bff (e.g. `--only 6`, `--only bff,throughput`);
                   a partial run never writes BENCHMARKS.md

Every system runs 2 workers on free loopback ports: Overseer (master + 2 worker JVMs, started with
supervision.Master), bench/peers/cluster.js (the classic cluster primary) and pm2 (bench/.tools,
PM2_HOME in a temp dir, `pm2 kill` at the end); scenario 1 also nginx (Debian's, its own prefix in a
temp dir) balancing each request over two single Node processes (bench/peerbench/nginx.py). Scenarios 1-4 alternate the systems in a rotating
order for several rounds on long-lived instances (only the measured system gets load; the others
sit idle); scenario 5 starts fresh instances each round; scenario 6 starts its own: one demo backend,
Overseer with a BFF route calling it, and bench/peers/bff.js under cluster and pm2. Medians over
rounds; Overseer / peer ratios from the same run. Raw output goes to bench/results/peers-<stamp>.txt,
the summary to bench/results/peers-<stamp>.md and to the "peers" section of BENCHMARKS.md. Every
process started is stopped by its pid (never by name); only 127.0.0.1 is ever targeted.

The harness itself is the package bench/peerbench/: settings (paths, load shapes, labels), runlog
(console + raw file, load notes), load (wrk, probes), systems (processes), scenarios, report.
"""
import argparse
import json
import os
import signal
import sys
import time
from datetime import datetime, timezone

sys.dont_write_bytecode = True      # importing the harness must leave no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from peerbench import runlog, scenarios  # noqa: E402
from peerbench.load import warm_up  # noqa: E402
from peerbench.report import section, section_text  # noqa: E402
from peerbench.runlog import log, note_load  # noqa: E402
from peerbench.settings import (DEFAULT_DURATION, DEFAULT_ROUNDS, HEADING, QUICK_DURATION, QUICK_WARMUP_MAX_RUNS,  # noqa: E402
                                QUICK_WARMUP_STEP, RESULTS, SCENARIOS, SECTION, SYSTEMS, WARMUP_MAX_RUNS,
                                WARMUP_STEP)
from peerbench.nginx import NginxNode  # noqa: E402
from peerbench.systems import NodeCluster, Overseer, Pm2, stop, stop_all  # noqa: E402

ROOT = benchlib.ROOT
LONG_LIVED = {"throughput", "blocking", "kill", "reload"}     # the scenarios run on one set of instances


def selected(only):
    """The scenario names of --only (numbers or names, comma-separated); all of them without it."""
    if not only:
        return set(SCENARIOS.values())
    names = set()
    for item in (x.strip().lower() for x in only.split(",") if x.strip()):
        name = SCENARIOS.get(item, item)
        if name not in SCENARIOS.values():
            raise SystemExit(f"bench/peers: --only {item!r}: not a scenario (1-6 or "
                             f"{', '.join(SCENARIOS.values())})")
        names.add(name)
    return names


def run(wanted, args, warmup):
    """The selected scenarios, in their usual order; their results by name."""
    s = {}
    if wanted & LONG_LIVED:
        note_load("start-up of the long-lived systems")
        systems = {"overseer": Overseer(), "cluster": NodeCluster(), "pm2": Pm2()}
        if "throughput" in wanted:
            systems["nginx"] = NginxNode()
        for name, sys_ in systems.items():
            log(f"{name}: port {sys_.port}, workers {sys_.worker_pids()}, supervisor {sys_.supervisor_pid()}")
            warm_up(sys_, name, *warmup)
        if "throughput" in wanted:
            warm_up(systems["overseer"], "overseer /health", *warmup, path="/health")
        if "throughput" in wanted:
            s["throughput"] = scenarios.scenario_throughput(systems, args.rounds, args.duration)
        if "blocking" in wanted:
            s["blocking"] = scenarios.scenario_blocking(systems, args.rounds, args.duration)
        if "kill" in wanted:
            systems["overseer-spare"] = Overseer(spares=1)
            s["kill"] = scenarios.scenario_kill(systems, args.rounds)
            stop(systems.pop("overseer-spare"))
        if "reload" in wanted:
            systems["pm2-graceful"] = Pm2(graceful=True)
            s["reload"] = scenarios.scenario_reload(systems, args.rounds)
        stop_all()
    if "start" in wanted:
        s["start"] = scenarios.scenario_start(args.rounds)
    if "bff" in wanted:
        s["bff"] = scenarios.scenario_bff(args.rounds, args.duration, warmup)
    return s


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    parser.add_argument("--duration", default=None, help=f"one wrk run (default {DEFAULT_DURATION})")
    parser.add_argument("--quick", action="store_true", help=f"1 round, {QUICK_DURATION} wrk runs (development)")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    parser.add_argument("--only", default=None, metavar="LIST",
                        help="scenarios to run, e.g. 6 or bff,throughput (1 throughput, 2 blocking, 3 kill, "
                             "4 reload, 5 start, 6 bff); a partial run leaves BENCHMARKS.md alone")
    parser.add_argument("--command", default=None, help=argparse.SUPPRESS)  # how the wrapper was called
    args = parser.parse_args()
    wanted = selected(args.only)
    if args.quick:
        args.rounds = 1
        args.duration = args.duration or QUICK_DURATION
    args.duration = args.duration or DEFAULT_DURATION
    warmup = (QUICK_WARMUP_STEP, QUICK_WARMUP_MAX_RUNS) if args.quick else (WARMUP_STEP, WARMUP_MAX_RUNS)
    command = args.command or "bench/peers.py " + " ".join(sys.argv[1:])
    # A subset's figures must not replace the full section (its other tables would read "not run").
    write = not args.no_write and wanted == set(SCENARIOS.values())

    # SIGTERM (e.g. a timeout) must still run the finally below, which stops everything we started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.makedirs(RESULTS, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H-%M-%SZ")
    raw_path = os.path.join(RESULTS, f"peers-{stamp}.txt")
    runlog.open_raw(raw_path)
    t_start = time.monotonic()
    log(f"bench/peers: {command}; raw output in {os.path.relpath(raw_path, ROOT)}")
    if not write and not args.no_write:
        log("bench/peers: --only: a partial run leaves BENCHMARKS.md alone")
    try:
        s = run(wanted, args, warmup)
    finally:
        stop_all()
    took = time.monotonic() - t_start
    results_md = os.path.join(RESULTS, f"peers-{stamp}.md")
    results_json = "\n\nRaw output: " + os.path.basename(raw_path) + "\n\n```json\n" + json.dumps(s, indent=1) + "\n```\n"
    try:
        body = section(s, args, command, took)
    except Exception:
        # a long run's figures must survive a report that cannot be drawn from them
        with open(results_md, "w") as f:
            f.write("The section could not be written (see the raw output)." + results_json)
        log(f"!! the section could not be written; the results are in {os.path.relpath(results_md, ROOT)}")
        raise
    text = section_text(body)
    log("\n" + text)
    with open(results_md, "w") as f:
        f.write(text + results_json)
    if write:
        benchlib.write_section(SECTION, HEADING, body)
    log(f"bench/peers: done in {took / 60:.1f} min; results in bench/results/peers-{stamp}.md"
        + (" and BENCHMARKS.md" if write else ""))
    runlog.close_raw()
    return 0


if __name__ == "__main__":
    sys.exit(main())
