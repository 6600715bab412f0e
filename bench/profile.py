#!/usr/bin/env python3
"""The routed path's cost, per process: CPU microseconds per request in the master and in each
worker under `wrk -c64` on /compute?n=1, optionally with async-profiler's CPU profile of every JVM
reduced to where the time goes (HTTP, Artery, serialization, thread parking and waking, JIT...).

usage: bench/profile.py [--rounds 3] [--duration 10] [--warm-up 20] [--profile]
                        [--root DIR] [--extra-config FILE] [--master-java-opts "..."] [--label NAME]
                        [--bff | --path /health] [--event cpu|alloc]
  --root DIR          measure the jars built in another checkout (a before/after of a change)
  --extra-config FILE HOCON appended to the master's config (A/B of settings)
  --master-java-opts  JVM options of the master (split on whitespace)
  --bff               load the BFF route /api/bench/1 (two calls to the demo backend, run by the master
                      as a command app, and the JSLT repair) with -c32 instead of /compute?n=1 with -c64
  --path PATH         load this path with -c64 instead (e.g. /health: the edge alone, the baseline)
  --profile           attach async-profiler (from Maven Central into bench/.tools) during the last
                      round and print each JVM's share of samples per category
  --event alloc       profile allocations instead of CPU: bytes allocated per request, per JVM
Each round also reports the voluntary context switches per request of each JVM (every thread that
parked: the hand-offs between threads) and the 1-minute load average after it.
Starts its own master + 2 workers on free loopback ports and stops every process it started, by
pid. Prints a Markdown table; writes nothing else outside the temp dir and bench/.tools.
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, bff_bench_route, demo_backend_command, ensure_jars, run_wrk  # noqa: E402
from supervision import Master, free_port  # noqa: E402

PROFILER = "tools.profiler:async-profiler:3.0"
TICKS = os.sysconf("SC_CLK_TCK")
# Substrings of a collapsed stack that put a sample into a category (a sample may be in several).
CATEGORIES = [
    ("thread parking (sleep)", "LockSupport.park"), ("thread waking (unpark)", "LockSupport.unpark"),
    ("HTTP parsing", "HttpRequestParser"), ("HTTP rendering", "HttpResponseRenderer"),
    ("routing DSL", "server/directives"), ("Overseer router", "io/overseer/master/routing"),
    ("worker actor", "io/overseer/worker/WorkerActor"), ("serialize", "JacksonSerializer.toBinary"),
    ("deserialize", "Serialization.deserializeByteBuffer"), ("Artery encoder", "artery/Encoder"),
    ("Artery decoder", "artery/Decoder"), ("TCP write", "TcpConnection.doWrite"),
    ("TCP read", "TcpConnection.doRead"), ("epoll", "epoll_wait"), ("JIT compiler", "CompilerThre"),
    ("GC", "GC Thread"),
]


def profiler_library():
    """libasyncProfiler.so from the Maven Central artifact, unpacked into bench/.tools once."""
    target = os.path.join(ROOT, "bench/.tools/async-profiler/linux-x64/libasyncProfiler.so")
    if not os.path.exists(target):
        subprocess.run(["mvn", "-B", "-q", "dependency:get", f"-Dartifact={PROFILER}"], check=True)
        group, artifact, version = PROFILER.split(":")
        jar = os.path.expanduser(f"~/.m2/repository/{group.replace('.', '/')}/{artifact}/{version}/"
                                 f"{artifact}-{version}.jar")
        with zipfile.ZipFile(jar) as z:
            z.extract("linux-x64/libasyncProfiler.so", os.path.dirname(os.path.dirname(target)))
    return target


def jcmd_agent(pid, library, options):
    # jcmd parses key=value pairs itself: the agent's option string must reach it quoted.
    subprocess.run(["jcmd", str(pid), "JVMTI.agent_load", library, f'"{options}"'], check=True,
                   capture_output=True)


def web_worker_pids(master):
    """The pids of the app `web`'s online workers (not the demo backend's command app)."""
    return [w["pid"] for w in master.workers() if w.get("app") == "web" and w.get("state") == "online"]


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def context_switches(pid):
    """Voluntary context switches of every thread of the process: each is a thread that parked
    (waiting for work or for a lock), so per request it counts the hand-offs between threads."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            for line in open(f"/proc/{pid}/task/{tid}/status"):
                if line.startswith("voluntary_ctxt_switches"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass  # the thread ended between the listing and the read
    return total


def categorize(collapsed):
    total, shares = 0, collections.Counter()
    for line in open(collapsed):
        stack, _, count = line.rstrip().rpartition(" ")
        total += int(count)
        for name, needle in CATEGORIES:
            if needle in stack:
                shares[name] += int(count)
    return total, shares


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warm-up", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--root", default=ROOT)
    parser.add_argument("--extra-config")
    parser.add_argument("--master-java-opts", default="")
    parser.add_argument("--label", default="")
    parser.add_argument("--bff", action="store_true")
    parser.add_argument("--path", default="/compute?n=1")
    parser.add_argument("--event", default="cpu", choices=["cpu", "alloc"],
                        help="what --profile samples: CPU time, or allocated bytes (then it prints bytes per request)")
    parser.add_argument("--profile-dir", help="keep the collapsed stacks here (flame graph input)")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    ensure_jars(root)
    library = profiler_library() if args.profile else None
    extra = open(args.extra_config).read() if args.extra_config else ""
    if args.bff:
        backend = free_port()
        extra += (f"\noverseer.apps.backend {{ mode = command, command = "
                  f"{json.dumps(demo_backend_command(backend))} }}\n" + bff_bench_route(backend))
    master = Master(0, extra=extra, root=root, master_java_opts=args.master_java_opts.split())
    pids = [master.proc.pid, *web_worker_pids(master)]
    url = master.url("/api/bench/1" if args.bff else args.path)
    connections = 32 if args.bff else 64
    rows, profiles = [], {}
    try:
        run_wrk(url, connections, args.warm_up)  # the JIT compiles the hot path of all three JVMs
        for round_index in range(args.rounds):
            profiling = library and round_index == args.rounds - 1
            if profiling:
                for pid in pids:
                    event = "event=cpu,interval=1000000" if args.event == "cpu" else "event=alloc"
                    jcmd_agent(pid, library, f"start,{event},threads")
            before = [cpu_seconds(p) for p in pids]
            switches_before = [context_switches(p) for p in pids]
            result = run_wrk(url, connections, args.duration)
            result["load"] = open("/proc/loadavg").read().split()[0]
            after = [cpu_seconds(p) for p in pids]
            switches = [(context_switches(p) - b) / result["total"] for p, b in zip(pids, switches_before)]
            if profiling:
                for i, pid in enumerate(pids):
                    path = os.path.join(master.dir, f"{pid}.collapsed")
                    # alloc: "total" weighs each stack by the bytes it allocated, not by its samples.
                    output = "collapsed" if args.event == "cpu" else "collapsed,total"
                    jcmd_agent(pid, library, f"stop,file={path},{output}")
                    name = "master" if i == 0 else f"worker {i}"
                    profiles[name] = categorize(path) + (result["total"] if i == 0 else result["total"] / 2,)
                    if args.profile_dir:
                        os.makedirs(args.profile_dir, exist_ok=True)
                        shutil.copy(path, os.path.join(args.profile_dir, name.replace(" ", "") + ".collapsed"))
            per_request = [(a - b) * 1e6 / result["total"] for a, b in zip(after, before)]
            rows.append((result, per_request, switches))
    finally:
        master.stop()
    variant = " + ".join(x for x in [args.extra_config, args.master_java_opts] if x)
    print(f"### {args.label or root}{' + ' + variant if variant else ''}: GET {url.split('/', 3)[3]}\n")
    print("| round | req/s | p50 ms | p99 ms | failed | master CPU µs/req | workers CPU µs/req (each, per request routed) "
          "| master thread switches/req | workers' (each, per request routed) | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for i, (r, cpu, sw) in enumerate(rows, 1):
        # A worker serves about half the requests: its CPU per request it served is twice this.
        workers = ", ".join(f"{2 * c:.1f}" for c in cpu[1:])
        worker_switches = ", ".join(f"{2 * c:.2f}" for c in sw[1:])
        print(f"| {i} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['failed']} | {cpu[0]:.1f} | {workers} "
              f"| {sw[0]:.2f} | {worker_switches} | {r['load']} |")
    for name, (total, shares, requests) in profiles.items():
        if args.event == "alloc":
            print(f"\n{name}: {total / requests:,.0f} bytes allocated per request it handled (async-profiler, "
                  f"alloc event, sampled); share of bytes:")
        else:
            print(f"\n{name}: {total} samples (async-profiler, cpu event, 1 ms); share of samples:")
        print(", ".join(f"{k} {v * 100 / total:.0f}%" for k, v in shares.most_common() if v * 100 / total >= 1))


if __name__ == "__main__":
    main()
