#!/usr/bin/env python3
"""Overseer side by side with its peers: Node's `cluster` and `pm2 start -i 2` (issue 6).

usage: bench/peers.py [--rounds 3] [--duration 10s] [--quick] [--no-write]
(normally through bench/peers.sh, which installs wrk and pm2 and builds the jars first)

Every system runs 2 workers on free loopback ports: Overseer (master + 2 worker JVMs, started with
supervision.Master), bench/peers/cluster.js (the classic cluster primary) and pm2 (bench/.tools,
PM2_HOME in a temp dir, `pm2 kill` at the end). Scenarios 1-4 alternate the systems in a rotating
order for several rounds on long-lived instances (only the measured system gets load; the others
sit idle); scenario 5 starts fresh instances each round. Medians over rounds; Overseer / peer
ratios from the same run. Raw output goes to bench/results/peers-<stamp>.txt, the summary to
bench/results/peers-<stamp>.md and to the "peers" section of BENCHMARKS.md. Every process started
is stopped by its pid (never by name); only 127.0.0.1 is ever targeted.
"""
import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone

sys.dont_write_bytecode = True      # importing supervision must leave no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from supervision import Master, free_port  # noqa: E402  (reused, not copied)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
RESULTS = os.path.join(BENCH, "results")
SERVER_JS = os.path.join(BENCH, "peers", "server.js")
CLUSTER_JS = os.path.join(BENCH, "peers", "cluster.js")
STATUS_LUA = os.path.join(BENCH, "peers", "status.lua")   # wrk script: answers counted by status
PM2 = os.path.join(BENCH, ".tools", "node_modules", ".bin", "pm2")
BENCHMARKS_MD = os.path.join(ROOT, "BENCHMARKS.md")
HEADING = "## Against the peers: Node cluster and pm2"
START, END = "<!-- peers:start -->", "<!-- peers:end -->"

# --- what is measured -----------------------------------------------------------------------
WORKERS = 2                          # workers per system
DEFAULT_ROUNDS = 3
DEFAULT_DURATION = "10s"             # one wrk run of scenarios 1 and 2
QUICK_DURATION = "3s"                # --quick: 1 round of 3 s runs, for development
# Warm-up before scenario 1, per system: wrk runs of WARMUP_STEP until two runs in a row gain less
# than WARMUP_GAIN req/s over the one before (the JVMs' JITs need tens of seconds, Node a moment).
WARMUP_STEP, WARMUP_MAX_RUNS = "5s", 12
QUICK_WARMUP_STEP, QUICK_WARMUP_MAX_RUNS = "2s", 3
WARMUP_GAIN = 0.10
WRK_THREADS = 2
THROUGHPUT_CONNECTIONS = 64          # scenario 1
BLOCKING_CONNECTIONS = 8             # scenario 2: the /health load
LOAD_CONNECTIONS = 16                # scenarios 3 and 4: the "moderate load"
OVERSEER_TRIVIAL = "/compute?n=1"    # routed through a worker: Overseer's equivalent of a Node app's "/"
PEER_TRIVIAL = "/"
HEALTH = "/health"
BLOCKING_N = 3_000_000_000           # seconds of blocking work on either runtime
BLOCKING_IN_FLIGHT = WORKERS         # long computations kept in flight: one per worker
BLOCKING_LEAD = 0.5                  # s between starting the computations and starting wrk
BLOCKING_WRK_TIMEOUT = "60s"         # wrk's default 2 s timeout would hide the very waits we measure
COMPUTE_HTTP_TIMEOUT = 300           # s, one long computation request
LOAD_LEAD = 2.0                      # s of load before the kill / the reload
LOAD_SETTLE = 2.0                    # s of load after the replacement serves / the reload returns
WRK_MAX = "300s"                     # bound of the wrk runs ended by SIGINT (scenarios 3 and 4)
RECOVERY_TIMEOUT = 120               # s, kill -9 -> replacement serving
POLL = 0.005                         # s between recovery polls
KILL_PROBE_EVERY = 0.005             # s between probes of a peer after the kill (each its own thread)
KILL_PROBE_TIMEOUT = 5.0             # s after which a probe counts as hung (a leaked connection)
KILL_PROBES_IN_FLIGHT = 100          # bound on probe threads at once
PROBE_TIMEOUT = 1.0                  # s, one probe request
START_TIMEOUT = 120                  # s, a system's start-up
STOP_TIMEOUT = 30                    # s, a system's orderly stop before SIGKILL
RELOAD_TIMEOUT = 300                 # s, one reload
IDLE_SETTLE = 3.0                    # s idle after start-up before RSS is read
LOAD_NOTE_ABOVE = 1.0                # 1-minute load average that earns a note in the section
CPU_SAMPLE = 0.5                     # s of /proc/stat sampled before each run: CPU busy while we idle

SYSTEMS = ("overseer", "cluster", "pm2")
LABELS = {"overseer": "Overseer (master + 2 worker JVMs)", "overseer-spare": "Overseer, `spares = 1`",
          "cluster": "Node `cluster` (2 workers)", "pm2": "`pm2 start -i 2`",
          "pm2-graceful": "`pm2 start -i 2`, app drains itself on SIGINT"}

RAW = None          # the raw output file, opened in main()
LOADS = []          # (where, 1-minute load average, CPU busy %) before every scenario and run
STARTED = []        # every system started, stopped at exit whatever happens


def log(*parts):
    """Print to the console and to the raw output file."""
    line = " ".join(str(p) for p in parts)
    print(line, flush=True)
    if RAW:
        RAW.write(line + "\n")
        RAW.flush()


def cpu_times():
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]          # idle + iowait
    return sum(values), idle


def note_load(where):
    """The machine may be shared: record the load average before every scenario and run, and the
    share of CPU busy over a short sample while no load is applied (the load average of this VM
    also counts our own previous run for a minute or more, the sample does not)."""
    with open("/proc/loadavg") as f:
        fields = f.read().split()
    total0, idle0 = cpu_times()
    time.sleep(CPU_SAMPLE)
    total1, idle1 = cpu_times()
    busy = 100.0 * (1 - (idle1 - idle0) / max(1, total1 - total0))
    LOADS.append((where, float(fields[0]), busy))
    log(f"-- load average before {where}: {' '.join(fields[:3])}; CPU busy {busy:.0f}% over {CPU_SAMPLE:g} s")


# --- processes and probes -------------------------------------------------------------------

def probe(port, path):
    """One GET on a new connection: (status, X-Pid header or None); (None, None) if it failed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=PROBE_TIMEOUT)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status, resp.getheader("X-Pid")
    except (OSError, http.client.HTTPException):
        return None, None
    finally:
        conn.close()


def wait_for(condition, timeout, what, poll=POLL):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise TimeoutError(f"{what}: not within {timeout} s")


def children(ppid):
    """Pids whose parent is ppid, from /proc (the cluster primary's workers)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            # the command name (2nd field) may contain spaces: the ppid is the 2nd field after ')'
            if int(stat.rsplit(")", 1)[1].split()[1]) == ppid:
                pids.append(int(entry))
    return pids


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise ValueError(f"no VmRSS for {pid}")


def kill_if_ours(pid, marker):
    """SIGKILL a pid we started, unless it is gone or now another program (pid reuse)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if marker.encode() not in f.read():
                return
        os.kill(pid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        pass


# --- the three systems ----------------------------------------------------------------------
# Each has: port, trivial (path of the trivial route), first_ok (s from its start command to the
# first 200 on it), worker_pids(), supervisor_pid(), ready() (all workers up and answering),
# kill_one() -> {victim, serving_s, ...}, stop().

class TimedMaster(Master):
    """supervision.Master that also notes when the trivial route first answers 200 while the base
    class waits for the workers to be ready (its full_capacity is polled every 10 ms)."""

    def __init__(self, spares):
        self.started = time.monotonic()
        self.first_ok = None
        try:
            super().__init__(spares)
        except BaseException:
            if hasattr(self, "proc"):
                self.stop()
            raise

    def full_capacity(self, instances, spares):
        if self.first_ok is None and probe(self.http, OVERSEER_TRIVIAL)[0] == 200:
            self.first_ok = time.monotonic() - self.started
        return super().full_capacity(instances, spares)


class Overseer:
    trivial = OVERSEER_TRIVIAL

    def __init__(self, spares=0):
        self.spares = spares
        self.master = TimedMaster(spares)
        STARTED.append(self)
        self.port = self.master.http
        self.first_ok = self.master.first_ok

    def online(self):
        return [w for w in self.master.workers() if w["state"] == "online"]

    def worker_pids(self):
        return [w["pid"] for w in self.online()]

    def supervisor_pid(self):
        return self.master.proc.pid

    def ready(self):
        return self.master.full_capacity(WORKERS, self.spares)

    def kill_one(self):
        """kill -9 of web-0 -> WORKERS online workers again, none of them the victim (with a spare:
        the spare promoted); also -> the spare pool refilled."""
        wait_for(self.ready, START_TIMEOUT, "overseer full capacity before the kill", poll=0.05)
        victim = next(w for w in self.online() if w["id"] == "web-0")["pid"]
        t0 = time.monotonic()
        os.kill(victim, signal.SIGKILL)

        def serving():
            ws = self.online()
            return len(ws) == WORKERS and all(w.get("pid") != victim for w in ws)

        wait_for(serving, RECOVERY_TIMEOUT, "overseer replacement online")
        result = {"victim": victim, "serving_s": time.monotonic() - t0}
        if self.spares:
            wait_for(self.ready, RECOVERY_TIMEOUT, "overseer spare refilled")
            result["refilled_s"] = time.monotonic() - t0
        return result

    def reload(self):
        return self.master.admin("/_admin/apps/web/reload", method="POST").get("message", "")

    def stop(self):
        self.master.stop()
        shutil.rmtree(self.master.dir, ignore_errors=True)


class NodeCluster:
    trivial = PEER_TRIVIAL

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="overseer-peers-cluster-")
        self.port = free_port()
        self.seen = set()
        self.log_file = open(os.path.join(self.dir, "cluster.log"), "w")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(["node", CLUSTER_JS], stdout=self.log_file, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, PORT=str(self.port), WORKERS=str(WORKERS)))
        STARTED.append(self)
        wait_for(lambda: probe(self.port, self.trivial)[0] == 200, START_TIMEOUT, "cluster first answer")
        self.first_ok = time.monotonic() - self.started
        wait_for(self.ready, START_TIMEOUT, "cluster workers ready")

    def worker_pids(self):
        pids = children(self.proc.pid)
        self.seen.update(pids)
        return pids

    def supervisor_pid(self):
        return self.proc.pid

    def ready(self):
        return peers_ready(self)

    def kill_one(self):
        return peer_kill_one(self)

    def stop(self):
        pids = self.worker_pids()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for pid in set(pids) | self.seen:
            kill_if_ours(pid, "node")
        self.log_file.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Pm2:
    trivial = PEER_TRIVIAL
    APP = "web"

    def __init__(self, graceful=False):
        self.home = tempfile.mkdtemp(prefix="overseer-peers-pm2-")
        self.port = free_port()
        self.seen = set()
        self.env = dict(os.environ, PM2_HOME=self.home, PORT=str(self.port), GRACEFUL="1" if graceful else "0")
        STARTED.append(self)
        self.log_file = open(os.path.join(self.home, "bench.log"), "w")
        # Cold: this PM2_HOME is new, so `pm2 start` also spawns the pm2 daemon, as on a fresh box.
        self.started = time.monotonic()
        start = subprocess.Popen([PM2, "start", SERVER_JS, "-i", str(WORKERS), "--name", self.APP],
                                 env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT)
        wait_for(lambda: probe(self.port, self.trivial)[0] == 200, START_TIMEOUT, "pm2 first answer")
        self.first_ok = time.monotonic() - self.started
        start.wait(START_TIMEOUT)
        wait_for(self.ready, START_TIMEOUT, "pm2 workers ready", poll=0.05)

    def pm2(self, *args, timeout=STOP_TIMEOUT):
        return subprocess.run([PM2, *args], env=self.env, capture_output=True, text=True, timeout=timeout)

    def worker_pids(self):
        out = self.pm2("jlist").stdout
        try:
            apps = json.loads(out[out.index("["):])
        except ValueError:
            return []
        pids = [a["pid"] for a in apps if a.get("name") == self.APP and a.get("pid")
                and a.get("pm2_env", {}).get("status") == "online"]
        self.seen.update(pids)
        return pids

    def supervisor_pid(self):
        with open(os.path.join(self.home, "pm2.pid")) as f:
            return int(f.read().strip())

    def ready(self):
        return peers_ready(self)

    def kill_one(self):
        return peer_kill_one(self)

    def reload(self):
        out = self.pm2("reload", self.APP, timeout=RELOAD_TIMEOUT)
        return (out.stdout + out.stderr).strip().splitlines()[-1] if (out.stdout + out.stderr).strip() else ""

    def stop(self):
        self.worker_pids()
        try:
            daemon = self.supervisor_pid()
        except (OSError, ValueError):
            daemon = None
        try:
            self.pm2("kill")
        except subprocess.TimeoutExpired:
            pass
        if daemon:
            kill_if_ours(daemon, "PM2")
        for pid in self.seen:
            kill_if_ours(pid, "node")
        self.log_file.close()
        shutil.rmtree(self.home, ignore_errors=True)


def peers_ready(system):
    """All workers up, and each has answered on the trivial route (X-Pid)."""
    pids = set(system.worker_pids())
    if len(pids) != WORKERS:
        return False
    answered = set()
    for _ in range(4 * WORKERS):     # new connections are spread round-robin over the workers
        status, pid = probe(system.port, system.trivial)
        if status == 200 and pid:
            answered.add(int(pid))
        if pids <= answered:
            return True
    return False


class Prober:
    """A client opening a new connection to the trivial route every KILL_PROBE_EVERY s, each probe in
    its own thread, for the whole kill scenario. A probe whose connection the cluster primary handed
    to the dying worker may hang (PEERS.md: a leaked socket); it must delay neither the next probe
    nor the measured time. Notes when the first pid outside `known` answered (peers' X-Pid) and
    counts the probes that failed and those that got no answer within KILL_PROBE_TIMEOUT."""

    def __init__(self, port, path):
        self.port, self.path, self.known = port, path, frozenset()
        self.lock = threading.Lock()
        self.first_new = None            # (monotonic time of the answer, pid)
        self.hung = self.failed = self.sent = 0
        self.threads = []
        self.stopping = threading.Event()
        self.driver = threading.Thread(target=self.drive, daemon=True)
        self.driver.start()

    def drive(self):
        while not self.stopping.is_set():
            self.threads = [t for t in self.threads if t.is_alive()]
            if len(self.threads) < KILL_PROBES_IN_FLIGHT:
                t = threading.Thread(target=self.one, daemon=True)
                t.start()
                self.threads.append(t)
                self.sent += 1
            time.sleep(KILL_PROBE_EVERY)

    def one(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=KILL_PROBE_TIMEOUT)
        try:
            conn.request("GET", self.path)
            resp = conn.getresponse()
            resp.read()
            now, pid = time.monotonic(), resp.getheader("X-Pid")
            with self.lock:
                if resp.status != 200:
                    self.failed += 1
                elif pid and int(pid) not in self.known and (self.first_new is None or now < self.first_new[0]):
                    self.first_new = (now, int(pid))
        except TimeoutError:
            with self.lock:
                self.hung += 1
        except (OSError, http.client.HTTPException):
            with self.lock:
                self.failed += 1
        finally:
            conn.close()

    def watch_for_new(self, known):
        """From now on, note the first answer from a pid outside `known` (answers before this call,
        while every pid was still unknown to the prober, do not count)."""
        with self.lock:
            self.known, self.first_new = frozenset(known), None

    def until_new_pid(self, timeout):
        wait_for(lambda: self.first_new is not None, timeout, "a new worker pid answering")
        return self.first_new

    def finish(self):
        """Stops probing and lets the probes still out finish or time out, so hung ones count."""
        self.stopping.set()
        self.driver.join()
        for t in self.threads:
            t.join(KILL_PROBE_TIMEOUT + 1)
        return {"probes": self.sent, "probes_hung": self.hung, "probes_failed": self.failed}


def peer_kill_one(system):
    """kill -9 of one worker -> a pid never seen before answers on the trivial route."""
    wait_for(system.ready, START_TIMEOUT, "peer workers ready before the kill", poll=0.05)
    before = set(system.worker_pids()) | system.seen
    victim = sorted(system.worker_pids())[0]
    system.prober.watch_for_new(before)
    t0 = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    answered_at, new_pid = system.prober.until_new_pid(RECOVERY_TIMEOUT)
    system.seen.add(new_pid)
    return {"victim": victim, "serving_s": answered_at - t0, "new_pid": new_pid}


# --- wrk ------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def parse_wrk(out):
    """req/s, p50/p99/max latency (ms), requests, failed (non-2xx/3xx + socket errors), and with
    status.lua the answers by status and the socket errors by kind."""
    r = {"failed": 0, "statuses": {}, "socket_errors": {}}
    for line in out.splitlines():
        if m := re.match(r"\s+(50|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", line):
            r["p" + m.group(1)] = float(m.group(2)) * UNITS[m.group(3)]
        elif m := re.match(r"\s+Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m|h)", line):
            r["max"] = float(m.group(1)) * UNITS[m.group(2)]
        elif m := re.match(r"Requests/sec:\s+([\d.]+)", line):
            r["rps"] = float(m.group(1))
        elif m := re.search(r"(\d+) requests in", line):
            r["requests"] = int(m.group(1))
        elif m := re.search(r"Non-2xx or 3xx responses: (\d+)", line):
            r["failed"] += int(m.group(1))
        elif m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", line):
            r["failed"] += sum(int(x) for x in m.groups())
            r["socket_errors"] = {k: int(v) for k, v in zip(("connect", "read", "write", "timeout"), m.groups())
                                  if int(v)}
        elif m := re.match(r"status (\d+): (\d+)", line):
            r["statuses"][m.group(1)] = int(m.group(2))
    if r.get("requests") == 0:          # wrk prints zeros then: no latency was measured at all
        for key in ("p50", "p99", "max"):
            r.pop(key, None)
    return r


def wrk_args(connections, duration, url, timeout=None, script=None):
    args = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{duration}", "--latency"]
    return args + (["--timeout", timeout] if timeout else []) + (["-s", script] if script else []) + [url]


def wrk(connections, duration, url, timeout=None):
    args = wrk_args(connections, duration, url, timeout)
    log("$", " ".join(args))
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds(duration) + 60).stdout
    log(out.rstrip())
    return parse_wrk(out)


class WrkInBackground:
    """wrk for as long as an action takes: started before it, ended by SIGINT (wrk then prints its
    totals) LOAD_SETTLE s after it, so every system is measured over the same shape of window."""

    def __init__(self, connections, url):
        # status.lua costs throughput (a Lua call per answer) but these runs count failures, not req/s
        self.args = wrk_args(connections, WRK_MAX, url, script=STATUS_LUA)
        log("$", " ".join(self.args), "(ended by SIGINT)")
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(LOAD_LEAD)

    def finish(self):
        time.sleep(LOAD_SETTLE)
        self.proc.send_signal(signal.SIGINT)
        try:
            out = self.proc.communicate(timeout=60)[0]
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out = self.proc.communicate()[0]
        log(out.rstrip())
        return parse_wrk(out)

    def abort(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def warm_up(system, name, step, max_runs):
    """wrk runs until throughput stops climbing: two runs in a row under WARMUP_GAIN better."""
    log(f"warm-up {name}")
    last, flat = None, 0
    for _ in range(max_runs):
        rps = wrk(THROUGHPUT_CONNECTIONS, step, url(system, system.trivial)).get("rps", 0)
        flat = flat + 1 if last and rps < last * (1 + WARMUP_GAIN) else 0
        last = rps
        if flat >= 2:
            break


def seconds(duration):
    return float(duration.rstrip("s"))


class ComputeKeeper:
    """Keeps `count` long /compute requests in flight (each on a new connection, re-issued as it
    completes) until stopped; then waits for the last ones so the next run starts on idle workers."""

    def __init__(self, port, count, n):
        self.url = f"http://127.0.0.1:{port}/compute?n={n}"
        self.stopping = threading.Event()
        self.done, self.errors = [], []
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(count)]
        for t in self.threads:
            t.start()

    def loop(self):
        while not self.stopping.is_set():
            t0 = time.monotonic()
            try:
                with urllib.request.urlopen(self.url, timeout=COMPUTE_HTTP_TIMEOUT) as r:
                    r.read()
                self.done.append(time.monotonic() - t0)
            except Exception as e:  # noqa: BLE001 -- any failure is counted and reported
                self.errors.append(repr(e))

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(COMPUTE_HTTP_TIMEOUT)


# --- scenarios ------------------------------------------------------------------------------

def url(system, path):
    return f"http://127.0.0.1:{system.port}{path}"


def rotated(names, round_index):
    """Round r starts with a different system, so none is always measured first or last."""
    k = round_index % len(names)
    return list(names[k:]) + list(names[:k])


def each_round(title, names, rounds, run):
    """Runs run(name) for every system in every round, rotating the order; a failed run is
    recorded as an error instead of stopping the whole benchmark."""
    note_load(f"scenario: {title}")
    results = {n: [] for n in names}
    errors = {n: [] for n in names}
    for r in range(rounds):
        for name in rotated(names, r):
            log(f"\n== {title} | {name} | round {r + 1}")
            note_load(f"{title} {name} round {r + 1}")
            try:
                res = run(name)
                log("=> " + json.dumps(res))
                results[name].append(res)
            except Exception as e:  # noqa: BLE001
                log(f"!! {name} failed: {e!r}")
                errors[name].append(repr(e))
    return {"results": results, "errors": errors}


def scenario_throughput(systems, rounds, duration):
    def run(name):
        s = systems[name]
        return wrk(THROUGHPUT_CONNECTIONS, duration, url(s, s.trivial))
    return each_round("1 throughput", SYSTEMS, rounds, run)


def scenario_blocking(systems, rounds, duration):
    def run(name):
        s = systems[name]
        keeper = ComputeKeeper(s.port, BLOCKING_IN_FLIGHT, BLOCKING_N)
        try:
            time.sleep(BLOCKING_LEAD)
            res = wrk(BLOCKING_CONNECTIONS, duration, url(s, HEALTH), timeout=BLOCKING_WRK_TIMEOUT)
        finally:
            keeper.stop()
        res["computations"] = len(keeper.done)
        res["computation_s"] = statistics.median(keeper.done) if keeper.done else None
        res["computation_errors"] = keeper.errors
        return res
    return each_round("2 blocking", SYSTEMS, rounds, run)


def scenario_kill(systems, rounds):
    def run(name):
        s = systems[name]
        load = WrkInBackground(LOAD_CONNECTIONS, url(s, s.trivial))
        # the same new-connection client on every system; known pids are set just before the kill
        s.prober = Prober(s.port, s.trivial)
        try:
            killed = s.kill_one()
        except BaseException:
            load.abort()
            s.prober.finish()
            raise
        res = load.finish()
        res.update(s.prober.finish())
        res.update(killed)
        return res
    return each_round("3 kill -9", ("overseer", "overseer-spare", "cluster", "pm2"), rounds, run)


def scenario_reload(systems, rounds):
    def run(name):
        s = systems[name]
        before = set(s.worker_pids())
        load = WrkInBackground(LOAD_CONNECTIONS, url(s, s.trivial))
        try:
            t0 = time.monotonic()
            message = s.reload()
            took = time.monotonic() - t0
        except BaseException:
            load.abort()
            raise
        res = load.finish()
        wait_for(s.ready, START_TIMEOUT, f"{name} ready after the reload", poll=0.05)
        res.update({"reload_s": took, "message": message, "all_new": not (before & set(s.worker_pids()))})
        return res
    return each_round("4 reload", ("overseer", "pm2", "pm2-graceful"), rounds, run)


def scenario_start(rounds):
    """Fresh instances: start command -> first 200 on the trivial route; RSS once idle."""
    makers = {"overseer": Overseer, "cluster": NodeCluster, "pm2": Pm2}

    def run(name):
        s = makers[name]()
        try:
            time.sleep(IDLE_SETTLE)
            workers = s.worker_pids()
            return {"first_ok_s": s.first_ok, "worker_rss": [rss_mib(p) for p in workers],
                    "supervisor_rss": rss_mib(s.supervisor_pid())}
        finally:
            stop(s)
    return each_round("5 cold start and idle RSS", SYSTEMS, rounds, run)


def stop(system):
    try:
        system.stop()
    except Exception as e:  # noqa: BLE001 -- keep stopping the others
        log(f"!! stopping {type(system).__name__}: {e!r}")
    if system in STARTED:
        STARTED.remove(system)


def stop_all():
    for s in list(STARTED):
        stop(s)


# --- report ---------------------------------------------------------------------------------

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


def machine():
    def first_line(args, stream="stdout"):
        try:
            p = subprocess.run(args, capture_output=True, text=True, timeout=60)
            return getattr(p, stream).strip().splitlines()
        except (OSError, subprocess.TimeoutExpired):
            return ["unknown"]
    cpu = "unknown cpu"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    java = "; ".join(first_line(["java", "-version"], "stderr"))
    node = first_line(["node", "-v"])[0]
    pm2 = pm2_version()
    wrk_v = first_line(["wrk", "-v"])[0].split(" Copyright")[0]
    return (f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}; "
            f"`java -version`: {java}; `node -v`: {node}; `pm2 -v`: {pm2}; `wrk -v`: {wrk_v}")


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


def section(s, args, command, took_s):
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    busy = [x for x in LOADS if x[1] > LOAD_NOTE_ABOVE]
    lines = [
        START,
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
    peers = ("cluster", "pm2")

    # 1. throughput
    t = s["throughput"]
    lines += ["", f"**1. Throughput**, `wrk -t{WRK_THREADS} -c{THROUGHPUT_CONNECTIONS} -d{args.duration} --latency`: "
              f"Overseer `{OVERSEER_TRIVIAL}` (edge → worker JVM → edge) against the peers' `{PEER_TRIVIAL}` "
              "(served by a worker directly).", "",
              "| system | req/s | p50 ms | p99 ms | failed | Overseer ÷ it: req/s | p50 | p99 |",
              "|---|---|---|---|---|---|---|---|"]
    for n in SYSTEMS:
        rows = [field(t, n, k) for k in ("rps", "p50", "p99")]
        fails = sum(r["failed"] for r in t["results"][n])
        rat = ["—"] * 3 if n == "overseer" else [ratio(field(t, "overseer", k), field(t, n, k)) for k in ("rps", "p50", "p99")]
        lines.append(f"| {LABELS[n]} | {num(rows[0])} ({every(t, n, 'rps')}) | {num(rows[1], '{:.2f}')} | "
                     f"{num(rows[2], '{:.2f}')} | {fails} | " + " | ".join(rat) + " |")
    lines += failures_note(t)

    # 2. head-of-line blocking
    b = s["blocking"]
    lines += ["", f"**2. Blocking**: `GET /health` with `wrk -c{BLOCKING_CONNECTIONS} -d{args.duration} "
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
    lines += failures_note(b)

    # 3. kill -9
    k = s["kill"]
    lines += ["", f"**3. `kill -9` of one worker** under `wrk -c{LOAD_CONNECTIONS}` on the trivial route (load from "
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
    lines += failures_note(k)

    # 4. reload
    r4 = s["reload"]
    lines += ["", f"**4. Graceful reload** under `wrk -c{LOAD_CONNECTIONS}` on the trivial route: Overseer "
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
    lines += failures_note(r4)

    # 5. start-up and memory
    st = s["start"]
    lines += ["", "**5. Cold start and idle memory** (fresh instances each round): start command → first 200 on the "
              f"trivial route (pm2 with a new PM2_HOME, so its daemon starts too); VmRSS {IDLE_SETTLE:g} s after "
              "start-up, of each worker process and of the supervisor (Overseer master, cluster primary, pm2 daemon).",
              "",
              "| system | start → first 200 ms | RSS per worker MiB | supervisor RSS MiB | total MiB | "
              "Overseer ÷ it: start | per-worker RSS | total |",
              "|---|---|---|---|---|---|---|---|"]

    def start_fig(n):
        res = st["results"].get(n, [])
        per_worker = med([x for r in res for x in r["worker_rss"]])
        sup = med([r["supervisor_rss"] for r in res])
        total = med([sum(r["worker_rss"]) + r["supervisor_rss"] for r in res])
        return med([r["first_ok_s"] * 1000 for r in res]), per_worker, sup, total
    ov = start_fig("overseer")
    for n in SYSTEMS:
        f = start_fig(n)
        rat = ["—"] * 3 if n == "overseer" else [ratio(ov[0], f[0]), ratio(ov[1], f[1]), ratio(ov[3], f[3])]
        lines.append(f"| {LABELS[n]} | {num(f[0])} ({every(st, n, 'first_ok_s', '{:.2f}')} s) | {num(f[1], '{:.0f}')} | "
                     f"{num(f[2], '{:.0f}')} | {num(f[3], '{:.0f}')} | " + " | ".join(rat) + " |")
    lines += failures_note(st)

    lines += ["", "**6. BFF route**: n/a (BFF layer not built yet).", END]
    return "\n".join(lines)


def write_benchmarks(text):
    doc = open(BENCHMARKS_MD).read() if os.path.exists(BENCHMARKS_MD) else ""
    if START in doc and END in doc:
        doc = doc[: doc.index(START)] + text + doc[doc.index(END) + len(END):]
    else:
        intro = ("`bench/peers.sh` runs Overseer (master + 2 worker JVMs), Node's `cluster` (2 workers) and "
                 "`pm2 start -i 2` (apps in `bench/peers/`) on free loopback ports in the same run, alternating "
                 "the systems in a rotating order over several rounds, and reports medians and Overseer ÷ peer "
                 "ratios. It installs wrk (apt) and pm2 (npm, into `bench/.tools/`, with `PM2_HOME` in a temp "
                 "dir) itself; `--quick` (1 round, 3 s runs) is for development. Raw output: "
                 "`bench/results/peers-*.txt`.")
        if HEADING not in doc:
            doc = doc.rstrip("\n") + f"\n\n{HEADING}\n\n{intro}\n\n"
        doc = doc.rstrip("\n") + "\n\n" + text + "\n"
    open(BENCHMARKS_MD, "w").write(doc)


# --- main -----------------------------------------------------------------------------------

def main():
    global RAW
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    parser.add_argument("--duration", default=None, help=f"one wrk run (default {DEFAULT_DURATION})")
    parser.add_argument("--quick", action="store_true", help=f"1 round, {QUICK_DURATION} wrk runs (development)")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    parser.add_argument("--command", default=None, help=argparse.SUPPRESS)  # how the wrapper was called
    args = parser.parse_args()
    if args.quick:
        args.rounds = 1
        args.duration = args.duration or QUICK_DURATION
    args.duration = args.duration or DEFAULT_DURATION
    warmup = (QUICK_WARMUP_STEP, QUICK_WARMUP_MAX_RUNS) if args.quick else (WARMUP_STEP, WARMUP_MAX_RUNS)
    command = args.command or "bench/peers.py " + " ".join(sys.argv[1:])

    # SIGTERM (e.g. a timeout) must still run the finally below, which stops everything we started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.makedirs(RESULTS, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H-%M-%SZ")
    raw_path = os.path.join(RESULTS, f"peers-{stamp}.txt")
    RAW = open(raw_path, "w")
    t_start = time.monotonic()
    log(f"bench/peers: {command}; raw output in {os.path.relpath(raw_path, ROOT)}")
    s = {}
    try:
        note_load("start-up of the long-lived systems")
        systems = {"overseer": Overseer(), "cluster": NodeCluster(), "pm2": Pm2()}
        for name in SYSTEMS:
            sys_ = systems[name]
            log(f"{name}: port {sys_.port}, workers {sys_.worker_pids()}, supervisor {sys_.supervisor_pid()}")
            warm_up(sys_, name, *warmup)
        s["throughput"] = scenario_throughput(systems, args.rounds, args.duration)
        s["blocking"] = scenario_blocking(systems, args.rounds, args.duration)
        systems["overseer-spare"] = Overseer(spares=1)
        s["kill"] = scenario_kill(systems, args.rounds)
        stop(systems.pop("overseer-spare"))
        systems["pm2-graceful"] = Pm2(graceful=True)
        s["reload"] = scenario_reload(systems, args.rounds)
        stop_all()
        s["start"] = scenario_start(args.rounds)
    finally:
        stop_all()
    took = time.monotonic() - t_start
    text = section(s, args, command, took)
    log("\n" + text)
    with open(os.path.join(RESULTS, f"peers-{stamp}.md"), "w") as f:
        f.write(text + "\n\nRaw output: " + os.path.basename(raw_path) + "\n\n```json\n" + json.dumps(s, indent=1) + "\n```\n")
    if not args.no_write:
        write_benchmarks(text)
    log(f"bench/peers: done in {took / 60:.1f} min; results in bench/results/peers-{stamp}.md"
        + ("" if args.no_write else " and BENCHMARKS.md"))
    RAW.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
