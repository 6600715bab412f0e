"""The "peers" section of BENCHMARKS.md: one table per scenario from the results of scenarios.py,
medians over rounds and Overseer ÷ peer ratios from the same run."""
import os
import shutil
import statistics
import subprocess
import tempfile
from datetime import datetime, timezone

import benchlib

from .runlog import LOADS
from .settings import (BACKEND_JVM_OPTIONS, BFF_CONNECTIONS, BFF_PATH, BLOCKING_CONNECTIONS, BLOCKING_IN_FLIGHT,
                       BLOCKING_N, BLOCKING_WRK_TIMEOUT, CPU_SAMPLE, IDLE_SETTLE, KILL_PROBE_EVERY,
                       KILL_PROBE_TIMEOUT, LABELS, LOAD_CONNECTIONS, LOAD_LEAD, LOAD_NOTE_ABOVE, LOAD_SETTLE,
                       OVERSEER_TRIVIAL, PEER_TRIVIAL, PM2, SCENARIOS, SECTION, STOP_TIMEOUT, SYSTEMS,
                       THROUGHPUT_CONNECTIONS, THROUGHPUT_SYSTEMS, WORKERS, WRK_THREADS)

# How a scenario is named where the section says it was not run.
TITLES = {"throughput": "Throughput", "blocking": "Blocking", "kill": "`kill -9` of one worker",
          "reload": "Graceful reload", "start": "Cold start and idle memory", "bff": "BFF route"}


# --- figures --------------------------------------------------------------------------------

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def field(scenario, name, key):
    return med([r.get(key) for r in scenario["results"].get(name, [])])


def every(scenario, name, key, fmt="{:.0f}"):
    return ", ".join(fmt.format(r[key]) for r in scenario["results"].get(name, []) if r.get(key) is not None)


def ratio(a, b):
    if a is None or b is None:
        return "n/a"
    if b == 0:
        return "= (both 0)" if a == 0 else f"{a:g} vs 0"
    return f"{a / b:.2f}x"


def num(v, fmt="{:,.0f}"):
    return "n/a" if v is None else fmt.format(v)


def failure_kinds(scenario, name):
    """What the failed requests of all rounds were: HTTP statuses other than 2xx, socket errors."""
    kinds = {}
    for r in scenario["results"].get(name, []):
        for status, n in r.get("statuses", {}).items():
            if not status.startswith("2"):
                kinds[status] = kinds.get(status, 0) + n
        for kind, n in r.get("socket_errors", {}).items():
            kinds[kind] = kinds.get(kind, 0) + n
    return ", ".join(f"{k} ×{v}" for k, v in sorted(kinds.items())) or "none"


def probe_counts(scenario, name):
    res = scenario["results"].get(name, [])
    total = lambda key: sum(r.get(key, 0) for r in res)
    return f"{total('probes_hung')} / {total('probes_failed')} of {total('probes'):,}"


def failures_note(scenario):
    notes = [f"{LABELS[n]}: {len(e)} run(s) failed ({e[0]})" for n, e in scenario["errors"].items() if e]
    return ["", "Did not complete: " + "; ".join(notes)] if notes else []


# --- the machine ----------------------------------------------------------------------------

def machine():
    def first_line(args, stream="stdout"):
        try:
            p = subprocess.run(args, capture_output=True, text=True, timeout=60)
            return getattr(p, stream).strip().splitlines()
        except (OSError, subprocess.TimeoutExpired):
            return ["unknown"]
    node = first_line(["node", "-v"])[0]
    pm2 = pm2_version()
    wrk_v = first_line(["wrk", "-v"])[0].split(" Copyright")[0]
    return f"{benchlib.machine()}; `node -v`: {node}; `pm2 -v`: {pm2}; `wrk -v`: {wrk_v}"


def pm2_version():
    """`pm2 -v` with a throw-away PM2_HOME, killed afterwards in case the CLI woke a daemon."""
    home = tempfile.mkdtemp(prefix="overseer-peers-pm2v-")
    env = dict(os.environ, PM2_HOME=home)
    try:
        out = subprocess.run([PM2, "-v"], env=env, capture_output=True, text=True, timeout=60).stdout
        version = out.strip().splitlines()[-1] if out.strip() else "unknown"
    finally:
        if os.path.exists(os.path.join(home, "pm2.pid")):
            subprocess.run([PM2, "kill"], env=env, capture_output=True, timeout=STOP_TIMEOUT)
        shutil.rmtree(home, ignore_errors=True)
    return version


# --- the section ----------------------------------------------------------------------------

def section_text(body):
    """The section as it stands between its markers in BENCHMARKS.md (benchlib.write_section's)."""
    return "\n".join([f"<!-- {SECTION}:start -->", *body, f"<!-- {SECTION}:end -->"])


def section(s, args, command, took_s):
    """The section's lines, without its markers: header, load note, then scenarios 1 to 6 (those
    that did not run in this run say so)."""
    lines = header(args, command, took_s)
    for number, key in SCENARIOS.items():
        if key in s:
            lines += RENDER[key](s[key], args)
        else:
            lines += ["", f"**{number}. {TITLES[key]}**: not run (`--only {args.only}`)."]
    return lines


def header(args, command, took_s):
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    busy = [x for x in LOADS if x[1] > LOAD_NOTE_ABOVE]
    lines = [
        f"Measured {now} on {machine()}.",
        f"Command: `{command}` ({args.rounds} round(s), wrk runs of {args.duration}; the whole run took "
        f"{took_s / 60:.1f} min). Medians over rounds (all rounds in brackets where it matters); "
        "ratios are Overseer ÷ peer from the same run.",
    ]
    if busy:
        first, worst_cpu = LOADS[0], max(LOADS, key=lambda x: x[2])
        lines.append(
            f"**Load note:** the 1-minute load average was above {LOAD_NOTE_ABOVE:g} before {len(busy)} of "
            f"{len(LOADS)} runs and scenarios ({min(x[1] for x in busy):.2f}–{max(x[1] for x in busy):.2f}; "
            f"{first[1]:.2f} before anything was started). On this VM it also counts the benchmark's own "
            f"previous run for a minute or more, so the CPU was also sampled for {CPU_SAMPLE:g} s before each "
            f"run with no load applied: busy {statistics.median(x[2] for x in LOADS):.0f}% (median), "
            f"{worst_cpu[2]:.0f}% at most (before {worst_cpu[0]}). Absolute figures are indicative; ratios "
            "and failure counts hold better.")
    return lines


def throughput(t, args):
    lines = ["", f"**1. Throughput**, `wrk -t{WRK_THREADS} -c{THROUGHPUT_CONNECTIONS} -d{args.duration} --latency`: "
             f"Overseer `{OVERSEER_TRIVIAL}` (edge → worker JVM → edge) against the peers' `{PEER_TRIVIAL}` "
             "(served by a worker directly; through nginx, by one of two Node processes it balances per "
             "request). Overseer's edge-local `/health` on the same master is the hop's ceiling: the routed "
             "row ÷ it is what the hop keeps.", "",
             "| system | req/s | p50 ms | p99 ms | failed | Overseer ÷ it: req/s | p50 | p99 |",
             "|---|---|---|---|---|---|---|---|"]
    for n in [x for x in THROUGHPUT_SYSTEMS if x in t["results"]]:
        rows = [field(t, n, k) for k in ("rps", "p50", "p99")]
        fails = sum(r["failed"] for r in t["results"][n])
        rat = ["—"] * 3 if n == "overseer" else [ratio(field(t, "overseer", k), field(t, n, k)) for k in ("rps", "p50", "p99")]
        lines.append(f"| {LABELS[n]} | {num(rows[0])} ({every(t, n, 'rps')}) | {num(rows[1], '{:.2f}')} | "
                     f"{num(rows[2], '{:.2f}')} | {fails} | " + " | ".join(rat) + " |")
    return lines + failures_note(t)


def blocking(b, args):
    lines = ["", f"**2. Blocking**: `GET /health` with `wrk -c{BLOCKING_CONNECTIONS} -d{args.duration} "
             f"--timeout {BLOCKING_WRK_TIMEOUT}` while {BLOCKING_IN_FLIGHT} `/compute?n={BLOCKING_N}` are kept "
             "in flight (re-issued as they complete). Overseer answers `/health` on the edge; a Node app answers "
             "it on a worker, which may be the busy one. wrk counts only answers that arrive within the run "
             "(n/a: none did).", "",
             "| system | /health p99 ms | max ms | failed | req/s | computations done (median s each) | "
             "Overseer ÷ it: p99 | max |",
             "|---|---|---|---|---|---|---|---|"]
    for n in SYSTEMS:
        fails = sum(r["failed"] for r in b["results"][n])
        done = sum(r["computations"] for r in b["results"][n])
        rat = ["—"] * 2 if n == "overseer" else [ratio(field(b, "overseer", k), field(b, n, k)) for k in ("p99", "max")]
        lines.append(f"| {LABELS[n]} | {num(field(b, n, 'p99'), '{:.2f}')} ({every(b, n, 'p99', '{:.1f}')}) | "
                     f"{num(field(b, n, 'max'), '{:.1f}')} | {fails} | {num(field(b, n, 'rps'))} | "
                     f"{done} ({num(field(b, n, 'computation_s'), '{:.1f}')} s) | " + " | ".join(rat) + " |")
    return lines + failures_note(b)


def kill(k, args):
    lines = ["", f"**3. `kill -9` of one worker** under `wrk -c{LOAD_CONNECTIONS}` on the trivial route (load from "
             f"{LOAD_LEAD:g} s before the kill to {LOAD_SETTLE:g} s after the replacement serves), and a client "
             f"opening a new connection every {KILL_PROBE_EVERY * 1000:g} ms (a probe with no answer within "
             f"{KILL_PROBE_TIMEOUT:g} s is hung). Overseer: until a "
             f"new pid is `online` in `/_admin/workers` ({WORKERS} online, none the victim); peers: until a worker "
             "pid never seen before answers `/` (`X-Pid`).", "",
             "| system | failed requests | what failed (all rounds) | of requests | new-connection client: hung / "
             "failed of probes (all rounds) | kill → replacement serving ms | Overseer ÷ it: serving | "
             "`spares = 1` ÷ it |",
             "|---|---|---|---|---|---|---|---|"]
    for n in ("overseer", "overseer-spare", "cluster", "pm2"):
        serving = [r["serving_s"] * 1000 for r in k["results"][n]]
        rat = ["—", "—"] if n.startswith("overseer") else [
            ratio(field(k, "overseer", "serving_s"), field(k, n, "serving_s")),
            ratio(field(k, "overseer-spare", "serving_s"), field(k, n, "serving_s"))]
        lines.append(f"| {LABELS[n]} | {num(field(k, n, 'failed'), '{:g}')} ({every(k, n, 'failed')}) | "
                     f"{failure_kinds(k, n)} | {num(field(k, n, 'requests'))} | {probe_counts(k, n)} | {num(med(serving))} ({', '.join(f'{x:.0f}' for x in serving)}) | "
                     + " | ".join(rat) + " |")
    refill = [r["refilled_s"] * 1000 for r in k["results"]["overseer-spare"] if "refilled_s" in r]
    if refill:
        lines.append(f"\nWith `spares = 1` the spare serves at once; a new spare is ready again (full capacity, "
                     f"{WORKERS} online + 1 spare) {num(med(refill))} ms after the kill "
                     f"({', '.join(f'{x:.0f}' for x in refill)}).")
    return lines + failures_note(k)


def reload(r4, args):
    lines = ["", f"**4. Graceful reload** under `wrk -c{LOAD_CONNECTIONS}` on the trivial route: Overseer "
             "`POST /_admin/apps/web/reload` against `pm2 reload web` (a plain app, and one that drains itself "
             "on SIGINT). Node `cluster` has no reload of its own: n/a.", "",
             "| system | failed requests | what failed (all rounds) | of requests | reload took s | every worker new | "
             "Overseer ÷ it: failed |",
             "|---|---|---|---|---|---|---|"]
    for n in ("overseer", "pm2", "pm2-graceful"):
        new = all(x["all_new"] for x in r4["results"][n]) if r4["results"][n] else "n/a"
        rat = "—" if n == "overseer" else ratio(field(r4, "overseer", "failed"), field(r4, n, "failed"))
        lines.append(f"| {LABELS[n]} | {num(field(r4, n, 'failed'), '{:g}')} ({every(r4, n, 'failed')}) | "
                     f"{failure_kinds(r4, n)} | {num(field(r4, n, 'requests'))} | {num(field(r4, n, 'reload_s'), '{:.1f}')} | {new} | {rat} |")
    return lines + failures_note(r4)


def start(st, args):
    lines = ["", "**5. Cold start and idle memory** (fresh instances each round): start command → first 200 on the "
             f"trivial route (pm2 with a new PM2_HOME, so its daemon starts too); memory {IDLE_SETTLE:g} s after "
             "start-up, of each worker process and of the supervisor (Overseer master, cluster primary, pm2 daemon). "
             "VmRSS counts pages shared with other processes (the JVMs' class-data archive, Node's binary) whole in "
             "each process; PSS splits them among their sharers, so it is what each process adds to the machine; "
             "private is RssAnon (heap, stacks, JIT code: nothing shared).",
             "",
             "| system | start → first 200 ms | per worker MiB: RSS / PSS / private | supervisor MiB: RSS / PSS | "
             "total PSS MiB | Overseer ÷ it: start | per-worker RSS | per-worker PSS | total PSS |",
             "|---|---|---|---|---|---|---|---|---|"]

    def start_fig(n):
        res = [r for r in st["results"].get(n, []) if "worker_pss" in r]
        worker = {k: med([x for r in res for x in r[f"worker_{k}"]]) for k in ("rss", "pss", "anon")}
        sup = (med([r["supervisor_rss"] for r in res]), med([r["supervisor_pss"] for r in res]))
        total = med([sum(r["worker_pss"]) + r["supervisor_pss"] for r in res])
        first_ok = med([r["first_ok_s"] * 1000 for r in res if r["first_ok_s"] is not None])
        return first_ok, worker, sup, total
    ov = start_fig("overseer")
    for n in SYSTEMS:
        f = start_fig(n)
        rat = ["—"] * 4 if n == "overseer" else [ratio(ov[0], f[0]), ratio(ov[1]["rss"], f[1]["rss"]),
                                                 ratio(ov[1]["pss"], f[1]["pss"]), ratio(ov[3], f[3])]
        w, sup = f[1], f[2]
        lines.append(f"| {LABELS[n]} | {num(f[0])} ({every(st, n, 'first_ok_s', '{:.2f}')} s) | "
                     f"{num(w['rss'], '{:.0f}')} / {num(w['pss'], '{:.0f}')} / {num(w['anon'], '{:.0f}')} | "
                     f"{num(sup[0], '{:.0f}')} / {num(sup[1], '{:.0f}')} | {num(f[3], '{:.0f}')} | " + " | ".join(rat) + " |")
    return lines + failures_note(st)


def bff(b, args):
    title = (f"**6. BFF route with two upstream calls**, `wrk -t{WRK_THREADS} -c{BFF_CONNECTIONS} -d{args.duration} "
             f"--latency` on `GET {BFF_PATH}`")
    if "setup_error" in b:
        return ["", f"{title}: did not run ({b['setup_error']})."]
    lines = ["", f"{title}. Overseer: its BFF route (edge → a worker JVM, which calls the demo backend's "
             "`/products/1` and `/inventory/1` in parallel and repairs them with `conf/transforms/product.jslt`), as "
             "in `bench/bff.py`. Peers: `bench/peers/bff.js` (the same two calls in parallel over a keep-alive "
             "agent, the transform ported to JavaScript). All three call ONE demo backend (Java, 8 handler threads, "
             f"`{' '.join(BACKEND_JVM_OPTIONS)}`), also measured directly, one call per request, for reference.", "",
             "| system | req/s | p50 ms | p99 ms | failed | backend calls/s | Overseer ÷ it: req/s | p50 | p99 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for n in SYSTEMS + ("backend",):
        rps, p50, p99 = (field(b, n, k) for k in ("rps", "p50", "p99"))
        fails = sum(r["failed"] for r in b["results"][n])
        calls = rps if n == "backend" or rps is None else 2 * rps     # a BFF answer costs two calls
        rat = ["—"] * 3 if n in ("overseer", "backend") else [
            ratio(field(b, "overseer", k), field(b, n, k)) for k in ("rps", "p50", "p99")]
        lines.append(f"| {LABELS[n]} | {num(rps)} ({every(b, n, 'rps')}) | {num(p50, '{:.2f}')} | {num(p99, '{:.2f}')} | "
                     f"{fails} | {num(calls)} | " + " | ".join(rat) + " |")
    a = b["answers"]
    keys = ", ".join(f"`{k}`" for k in a["keys"])
    if a["same_document"] and not a["problems"]:
        agree = f"200 JSON from all three, the same document (keys {keys})."
    elif a["same_keys"] and not a["problems"]:
        agree = f"200 JSON from all three with the same keys ({keys}), but the values differ (see the raw output)."
    else:
        agree = "**they differ**: " + "; ".join(a["problems"]) + "."
    lines += ["", f"Answers, checked with one `GET {BFF_PATH}` per system before the runs: {agree} "
              "The backend runs with TCP_NODELAY: the JDK's HttpServer otherwise holds the second write of every "
              "answer until the client's delayed ACK, ~40 ms a call whatever the load, and all three systems "
              "would measure that stall rather than their BFF layers."]
    return lines + failures_note(b)


RENDER = {"throughput": throughput, "blocking": blocking, "kill": kill, "reload": reload, "start": start, "bff": bff}
