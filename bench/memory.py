#!/usr/bin/env python3
"""Idle memory of a master and its two workers, per variant, in one run (issue 15, target 4).

usage: bench/memory.py [--rounds 3] [--idle 3] [--load S] [--nmt] [--variant NAME=SPEC]...
  --rounds N        rounds; the variants alternate within each round in a rotating order; medians
  --idle S          seconds after full capacity before the figures are read (default 3, as
                    bench/peers.sh scenario 5)
  --load S          then S seconds of wrk -c64 on /compute?n=1 (after 3 s of warm-up): req/s and p99
                    per variant (throughput must not drop), and the memory again once idle for --idle s
  --nmt             also start every JVM with -XX:NativeMemoryTracking=summary and print, per variant,
                    where the committed memory goes (jcmd VM.native_memory summary of the first round)
  --variant N=SPEC  a variant to measure beside "shipped" (the defaults of this checkout). SPEC is
                    ';'-separated parts:  w:<opt>  one more worker JVM option (after the defaults),
                    W:<opt>  replace the worker's JVM options (repeat for several),  m:<opt>  one
                    more master JVM option,  M:<opt>  replace the master's,  we:K=V / me:K=V  an
                    environment variable of the workers / the master,  wj:<java> / mj:<java>  the
                    java executable of the workers / the master (another JDK),  c:<hocon>  a line
                    of the master's configuration (e.g. c:overseer.apps.web.malloc-arena-max=0).  e.g.
                    --variant 'arena=we:MALLOC_ARENA_MAX=2;me:MALLOC_ARENA_MAX=2'

"shipped": the master with the JVM options bin/overseer run gives it (its OVERSEER_MASTER_JAVA_OPTS
default, read from bin/overseer), the workers with the master's app defaults.
Per process: RSS, PSS and RssAnon (the private part of RSS) from /proc (as bench/peers.sh scenario 5),
and its thread count. Every process is stopped by the pid this script started or read from its own master.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, ensure_jars, machine, run_wrk  # noqa: E402
from peerbench.systems import memory_mib  # noqa: E402
from supervision import Master, shipped_master_java_opts  # noqa: E402


def shipped_master():
    """The master's JVM options as bin/overseer run sets them by default, and no extra environment."""
    return list(shipped_master_java_opts()), {}


def parse_variant(spec):
    name, _, parts = spec.partition("=")
    v = {"name": name, "w": [], "W": None, "m": [], "M": None, "we": {}, "me": {}, "wj": None, "mj": "java", "c": []}
    for part in filter(None, parts.split(";")):
        kind, _, value = part.partition(":")
        if kind in ("w", "m", "c"):
            v[kind].append(value)
        elif kind in ("W", "M"):
            v[kind] = (v[kind] or []) + [value]
        elif kind in ("wj", "mj"):
            v[kind] = value
        elif kind in ("we", "me"):
            k, _, val = value.partition("=")
            v[kind][k] = val
        else:
            raise SystemExit(f"bench/memory: unknown part {part!r} in variant {name!r}")
    return v


def worker_defaults():
    """The app-defaults jvm-options array of the master's reference.conf."""
    conf = open(os.path.join(ROOT, "master/src/main/resources/reference.conf")).read()
    block = conf[conf.index("app-defaults {"):]
    m = re.search(r"\n    jvm-options = \[(.*?)\]", block, re.S)
    return re.findall(r'"([^"]*)"', m.group(1))


def hocon_list(items):
    return "[" + ", ".join('"' + i.replace('"', '\\"') + '"' for i in items) + "]"


def threads(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(next(line.split()[1] for line in f if line.startswith("Threads:")))


def nmt(pid):
    out = subprocess.run(["jcmd", str(pid), "VM.native_memory", "summary"], capture_output=True, text=True).stdout
    areas = {}
    for m in re.finditer(r"-\s+([A-Za-z ]+?) \(reserved=\d+KB, committed=(\d+)KB\)", out):
        areas[m.group(1).strip()] = int(m.group(2)) / 1024
    total = re.search(r"Total: reserved=\d+KB, committed=(\d+)KB", out)
    if total:
        areas["Total"] = int(total.group(1)) / 1024
    return areas


def run(variant, idle, with_nmt, load):
    master_opts, master_env = shipped_master()
    if variant["M"] is not None:
        master_opts = list(variant["M"])
    master_opts = master_opts + variant["m"]
    worker_opts = list(variant["W"]) if variant["W"] is not None else worker_defaults()
    worker_opts += variant["w"]
    if with_nmt:
        master_opts = master_opts + ["-XX:NativeMemoryTracking=summary"]
        worker_opts = worker_opts + ["-XX:NativeMemoryTracking=summary"]
    extra = f"overseer.apps.web.jvm-options = {hocon_list(worker_opts)}\n"
    extra += "".join(line + "\n" for line in variant["c"])
    if variant["wj"]:
        extra += f'overseer.apps.web.java = "{variant["wj"]}"\n'
    for k, v in variant["we"].items():
        extra += f'overseer.apps.web.env."{k}" = "{v}"\n'
    env = dict(master_env, **variant["me"])
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        master = Master(0, instances=2, extra=extra, master_java_opts=tuple(master_opts),
                        java=variant["mj"])
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    try:
        time.sleep(idle)   # the figure is of an idle system a fixed time after start-up
        workers = [w["pid"] for w in master.workers() if w["state"] == "online"]
        result = {"master": dict(memory_mib(master.proc.pid), threads=threads(master.proc.pid)),
                  "workers": [dict(memory_mib(p), threads=threads(p)) for p in workers]}
        if load:
            run_wrk(master.url("/compute?n=1"), 64, 3)
            wrk = run_wrk(master.url("/compute?n=1"), 64, load)
            time.sleep(idle)
            result.update(rps=wrk["rps"], p99=wrk["p99"], failed=wrk["failed"],
                          master_after=memory_mib(master.proc.pid),
                          workers_after=[memory_mib(p) for p in workers])
        if with_nmt:
            result["nmt_master"] = nmt(master.proc.pid)
            result["nmt_worker"] = nmt(workers[0])
        return result
    finally:
        master.stop()
        shutil.rmtree(master.dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--idle", type=float, default=3)
    ap.add_argument("--load", type=int, default=0)
    ap.add_argument("--nmt", action="store_true")
    ap.add_argument("--variant", action="append", default=[])
    args = ap.parse_args()
    ensure_jars()
    variants = [parse_variant("shipped=")] + [parse_variant(s) for s in args.variant]
    results = {v["name"]: [] for v in variants}
    for r in range(args.rounds):
        order = variants[r % len(variants):] + variants[: r % len(variants)]
        for v in order:
            load = os.getloadavg()[0]
            res = run(v, args.idle, args.nmt, args.load)
            res["load"] = load
            results[v["name"]].append(res)
            w = res["workers"]
            print(f"round {r + 1} {v['name']:>12}: load {load:.2f}  master rss/pss/anon "
                  f"{res['master']['rss']:.0f}/{res['master']['pss']:.0f}/{res['master']['anon']:.0f} "
                  f"thr {res['master']['threads']}  workers "
                  + "  ".join(f"{x['rss']:.0f}/{x['pss']:.0f}/{x['anon']:.0f} thr {x['threads']}" for x in w)
                  + (f"  | load: {res['rps']:.0f} req/s p99 {res['p99'] or 0:.1f} ms failed {res['failed']}, after: master "
                     f"{res['master_after']['pss']:.0f} PSS workers "
                     + " ".join(f"{x['pss']:.0f}/{x['anon']:.0f}" for x in res['workers_after']) if args.load else ""),
                  flush=True)
    print(f"\n{machine()}\nmedians over {args.rounds} round(s), MiB, {args.idle:g} s idle after full capacity")
    print("| variant | worker RSS | worker PSS | worker private | worker threads | master RSS | master PSS "
          "| master private | master threads | load |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for v in variants:
        rs = results[v["name"]]

        def med(f):
            return statistics.median(f(x) for x in rs)

        def wmed(key):
            return statistics.median(w[key] for x in rs for w in x["workers"])

        print(f"| {v['name']} | {wmed('rss'):.0f} | {wmed('pss'):.0f} | {wmed('anon'):.0f} | {wmed('threads'):.0f} "
              f"| {med(lambda x: x['master']['rss']):.0f} | {med(lambda x: x['master']['pss']):.0f} "
              f"| {med(lambda x: x['master']['anon']):.0f} | {med(lambda x: x['master']['threads']):.0f} "
              f"| {med(lambda x: x['load']):.2f} |")
    if args.load:
        print(f"\nafter {args.load:g} s of wrk -c64 on /compute?n=1 and {args.idle:g} s idle (medians, MiB)")
        print("| variant | req/s | p99 ms | failed | worker PSS | worker private | master PSS | master private |")
        print("|---|---|---|---|---|---|---|---|")
        for v in variants:
            rs = results[v["name"]]

            def med(f):
                return statistics.median(f(x) for x in rs)

            def wafter(key):
                return statistics.median(w[key] for x in rs for w in x["workers_after"])

            print(f"| {v['name']} | {med(lambda x: x['rps']):.0f} | {med(lambda x: x['p99'] or 0):.1f} "
                  f"| {sum(x['failed'] for x in rs)} | {wafter('pss'):.0f} | {wafter('anon'):.0f} "
                  f"| {med(lambda x: x['master_after']['pss']):.0f} | {med(lambda x: x['master_after']['anon']):.0f} |")
    if args.nmt:
        for v in variants:
            first = results[v["name"]][0]
            for who in ("nmt_worker", "nmt_master"):
                areas = first[who]
                print(f"{v['name']} {who[4:]} NMT committed MiB: "
                      + ", ".join(f"{k} {val:.1f}" for k, val in sorted(areas.items(), key=lambda kv: -kv[1])
                                  if val >= 0.5))


if __name__ == "__main__":
    main()
