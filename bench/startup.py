#!/usr/bin/env python3
"""Start and replacement as a new user meets them (issue 15, targets 1 and 2).

usage: bench/startup.py [--rounds 5] [--before DIR] [--without LEVER]... [--with aot] [--variant NAME=HOCON]...
                        [--no-node] [--no-write]
  --rounds N    rounds per checkout (default 5); medians over them
  --before DIR  another checkout with its jars built (e.g. a clone at the commit before a change):
                measured in the same run, its rounds alternating with this checkout's
  --without L   also this checkout with one class-data-sharing archive left out, to weigh it alone:
                master-cds (bin/overseer run's master archive) or worker-cds (the workers'); both
                are replaced by the JDK's own archive, which is what a JVM uses without them;
                aot-caches: the JDK 25 that wrote the AOT caches, with its own archive only
  --with aot    also this checkout on the JDK 25 that wrote the AOT caches, with them
                (OVERSEER_JAVA; bin/overseer's default is the PATH's java, with the CDS archives)
  --variant NAME=HOCON
                also this checkout with HOCON appended to its overseer.conf (the master's and the
                workers' configuration), e.g. 'jmx-on=pekko.cluster.jmx.enabled = on' to weigh a
                setting alone; rounds alternate with the others
  --no-node     leave out Node's cluster (bench/peers/cluster.js)
  --no-write    leave BENCHMARKS.md alone

Each round, per checkout: (a) `bin/overseer run --config` a copy of its conf/overseer.conf (the
shipped configuration: two web workers with the examples on their class path, and the demo backend)
on free loopback ports, with OVERSEER_HOME in a temp dir, and polls `GET /compute?n=1` every 10 ms
on a new connection until the first 200: ms from the start command; (b) once both workers are
online, `kill -9` of web-0 and ms until two workers are online again in `/_admin/workers`, none the
victim (no spares: the replacement boots). Node's cluster (2 workers) the same: start -> first 200,
kill -9 of a worker -> a new worker pid answers. Beside each figure, the CPU time (user + sys, from
/proc) used by then: at the first 200, the master's JVM (which also answers this script's polls, so
it grows with the wall time) and its two workers'; at the replacement, the new worker's own. Less
sensitive to other load than the wall times, it says how much work a change took off. The first round of this checkout also prints where
the start-up time goes (process starts and log lines, in ms from the start command). Every process
is stopped by the pid this script started or read from its own master; writes the "startup" section
of BENCHMARKS.md.
"""
import argparse
import glob
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, ensure_jars, machine, wait_for, write_section  # noqa: E402
from supervision import free_low_port, free_port, shipped_master_java_opts  # noqa: E402

ROUTED = "/compute?n=1"
START_TIMEOUT = 120       # s, start command -> first routed 200 (a loaded machine)
RECOVERY_TIMEOUT = 120    # s, kill -9 -> two workers online again
POLL = 0.01               # s between polls: the resolution of every figure here

# Where the start-up time goes: (label, file glob under the run's temp dir, regex of the line).
TIMELINE = [
    ("master: actor system created (pid file written)", "master.log", r"master pid \d+ started"),
    ("master: cluster node joining itself", "master.log", r"is JOINING itself"),
    ("master: cluster node Up", "master.log", r"Leader is moving node \[.*:%(cluster)s\] to \[Up\]"),
    ("master: HTTP edge bound", "master.log", r"edge listening on"),
    ("web-0: worker actor system created", "home/logs/web-0-out.log", r"worker web-0 .* joining"),
    ("web-1: worker actor system created", "home/logs/web-1-out.log", r"worker web-1 .* joining"),
    ("web-0: Registered (routable) acknowledged", "home/logs/web-0-out.log", r"registered with the master"),
    ("web-1: Registered (routable) acknowledged", "home/logs/web-1-out.log", r"registered with the master"),
    ("master: web-0 ready (routed)", "master.log", r"web-0 \(pid \d+\) is ready"),
    ("master: web-1 ready (routed)", "master.log", r"web-1 \(pid \d+\) is ready"),
    ("web-0: cluster member Up", "home/logs/web-0-out.log", r"cluster member Up"),
    ("web-1: cluster member Up", "home/logs/web-1-out.log", r"cluster member Up"),
]
STAMP = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) ")


def get(port, path, token=None):
    """(status, body) of one GET on a new connection; (None, None) if it failed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    except (OSError, http.client.HTTPException):
        return None, None
    finally:
        conn.close()


def process_start(pid):
    """Wall-clock start of a process (s since the epoch), from /proc: boot time + its start ticks."""
    with open(f"/proc/{pid}/stat") as f:
        ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        boot = time.time() - float(f.read().split()[0])
    return boot + ticks / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + sys CPU seconds of a process (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def is_worker(pid):
    """A worker JVM the master launched (its command line has --watch-stdin)."""
    try:
        with open(f"/proc/{pid}/cmdline") as f:
            return "--watch-stdin" in f.read().split("\0")
    except OSError:
        return False


def process_tree(pid):
    """pid and its descendants, from /proc/<pid>/task/*/children."""
    tree = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                for child in f.read().split():
                    tree += process_tree(int(child))
    except OSError:
        pass
    return tree


def jdk_archive(java="java"):
    """The JDK's own class-data-sharing archive (what a JVM maps when given no other)."""
    out = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    home = re.search(r"java\.home = (.+)", out).group(1).strip()
    return os.path.join(home, "lib", "server", "classes.jsa")


def aot_java():
    """The JDK 25+ the build wrote this checkout's AOT caches with, or None."""
    marker = os.path.join(ROOT, "master", "target", "overseer-master.aot.jdk")
    return os.path.join(open(marker).read().strip(), "bin", "java") if os.path.exists(marker) else None


def plain(java):
    """bin/overseer run on `java` with the JDK's own archive for the master and the workers."""
    return ({"OVERSEER_JAVA": java,
             "OVERSEER_MASTER_JAVA_OPTS": " ".join(shipped_master_java_opts())
                                          + f" -XX:SharedArchiveFile={jdk_archive(java)}"},
            'overseer.apps.web.jvm-options = ["-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", '
            f'"-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile={jdk_archive(java)}"]\n')


# A lever left out (--without): extra environment and configuration for bin/overseer run.
# The workers' options are reference.conf's app-defaults.jvm-options plus the JDK's archive.
WITHOUT = {
    # Both on the PATH's java (17), whose archives they weigh, not on the AOT caches' JDK 25.
    "master-cds": lambda: ({"OVERSEER_JAVA": "java",
                            "OVERSEER_MASTER_JAVA_OPTS": " ".join(shipped_master_java_opts())
                                                         + f" -XX:SharedArchiveFile={jdk_archive()}"}, ""),
    "worker-cds": lambda: ({"OVERSEER_JAVA": "java"}, 'overseer.apps.web.jvm-options = ["-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", '
                               f'"-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile={jdk_archive()}"]\n'),
    # The JDK 25 that wrote the AOT caches, with its own archive only (plain 25).
    "aot-caches": lambda: plain(aot_java()),
}
# A lever added (--with): the JDK 25 with the AOT caches it wrote.
WITH = {"aot": lambda: ({"OVERSEER_JAVA": aot_java()}, "")}


class Run:
    """`bin/overseer run` of one checkout on free ports; stop() ends every pid it saw."""

    def __init__(self, root, env=None, conf=""):
        self.root = root
        self.dir = tempfile.mkdtemp(prefix="overseer-startup-")
        shutil.copytree(os.path.join(root, "conf"), os.path.join(self.dir, "conf"))
        self.http, self.cluster, backend = free_port(), free_low_port(), free_port()
        self.conf = os.path.join(self.dir, "conf", "overseer.conf")
        with open(self.conf, "a") as f:
            f.write(f"\noverseer {{ http.port = {self.http}, cluster.port = {self.cluster} }}\n"
                    f"demo-backend-port = {backend}\n{conf}")
        self.home = os.path.join(self.dir, "home")
        self.pids = set()
        self.log = open(os.path.join(self.dir, "master.log"), "w")
        self.wall0 = time.time()
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen([os.path.join(root, "bin", "overseer"), "run", "--config", self.conf],
                                     env=dict(os.environ, OVERSEER_HOME=self.home, **(env or {})),
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def token(self):
        try:
            return open(os.path.join(self.home, "admin.token")).read().strip()
        except OSError:
            return None

    def processes(self):
        """The master's /_admin/workers (workers and command apps); every pid is remembered."""
        status, body = get(self.http, "/_admin/workers", self.token())
        if status != 200:
            return []
        procs = json.loads(body)["workers"]
        self.pids.update(p["pid"] for p in procs if p.get("pid"))
        return procs

    def online(self):
        """Pids of the web workers online, by id."""
        return {p["id"]: p["pid"] for p in self.processes()
                if p.get("app", "web") == "web" and p.get("mode", "worker") == "worker" and p["state"] == "online"}

    def first_ok(self):
        wait_for(lambda: get(self.http, ROUTED)[0] == 200, START_TIMEOUT, "first routed 200", POLL)
        return time.monotonic() - self.t0

    def cpu(self):
        """CPU seconds (user + sys) used so far by the master's JVM and by its worker JVMs alive now
        (the reaper and command apps left out): (master, workers)."""
        workers = [pid for pid in process_tree(self.proc.pid) if is_worker(pid)]
        return cpu_seconds(self.proc.pid), sum(cpu_seconds(pid) for pid in workers)

    def kill_to_two(self):
        wait_for(lambda: len(self.online()) == 2, START_TIMEOUT, "both workers online", POLL)
        before = self.online()
        victim = before["web-0"]
        t0 = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: (lambda o: len(o) == 2 and victim not in o.values())(self.online()),
                 RECOVERY_TIMEOUT, "two workers online again", POLL)
        took = time.monotonic() - t0
        # The replacement's own CPU until it was online (the master's includes these polls).
        new = [pid for pid in self.online().values() if pid not in before.values()]
        return took, sum(cpu_seconds(pid) for pid in new)

    def timeline(self):
        """(label, ms from the start command) for the process starts and the TIMELINE lines."""
        events = [("`bin/overseer run` started (bash, which execs the master's JVM)", 0.0)]
        day = datetime.fromtimestamp(self.wall0)
        for label, pattern, regex in TIMELINE:
            regex = regex % {"cluster": self.cluster} if "%(" in regex else regex
            for path in glob.glob(os.path.join(self.dir, pattern)):
                for line in open(path, errors="replace"):
                    m = STAMP.match(line)
                    if m and re.search(regex, line):
                        h, mi, s, ms = (int(x) for x in m.groups())
                        at = day.replace(hour=h, minute=mi, second=s, microsecond=ms * 1000).timestamp()
                        events.append((label, (at - self.wall0) * 1000))
                        break
        return sorted(events, key=lambda e: e[1])

    def stop(self):
        self.processes()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def overseer_round(root, with_timeline, lever=None):
    if lever and lever.startswith("="):
        env, conf = {}, lever[1:] + "\n"
    elif lever and lever.startswith("+"):
        env, conf = WITH[lever[1:]]()
    else:
        env, conf = WITHOUT[lever]() if lever else ({}, "")
    run = Run(root, env, conf)
    try:
        first = run.first_ok()
        first_cpu = run.cpu()
        # The workers' start times, while they are the first incarnations.
        workers = run.online() if with_timeline else {}
        replace, replace_cpu = run.kill_to_two()
        timeline = None
        if with_timeline:
            timeline = run.timeline()
            for wid, pid in sorted(workers.items()):
                try:
                    timeline.append((f"{wid}: worker JVM process started", (process_start(pid) - run.wall0) * 1000))
                except OSError:
                    pass  # already the victim
            timeline.append(("first routed 200 (this script's poll)", first * 1000))
            timeline.sort(key=lambda e: e[1])
        return first, replace, timeline, first_cpu, replace_cpu
    finally:
        run.stop()


def node_round():
    """Node's cluster: start -> first 200, kill -9 of a worker -> a new worker pid answers."""
    from peerbench.load import probe
    from peerbench.systems import NodeCluster, children, stop
    node = NodeCluster()
    try:
        before = set(children(node.proc.pid))
        victim = sorted(before)[0]
        t0 = time.monotonic()
        os.kill(victim, signal.SIGKILL)

        def new_answers():
            status, pid = probe(node.port, "/")
            return status == 200 and pid is not None and int(pid) not in before
        wait_for(new_answers, RECOVERY_TIMEOUT, "node replacement answering", POLL)
        return node.first_ok, time.monotonic() - t0
    finally:
        stop(node)


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def med_ms(xs):
    return f"{statistics.median(xs) * 1000:,.0f}"


def all_ms(xs):
    return ", ".join(f"{x * 1000:.0f}" for x in xs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", default=None, metavar="DIR")
    parser.add_argument("--without", action="append", default=[], choices=sorted(WITHOUT), metavar="LEVER")
    parser.add_argument("--with", dest="with_", action="append", default=[], choices=sorted(WITH), metavar="LEVER")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=HOCON")
    parser.add_argument("--no-node", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    roots = {"after": (ROOT, None)}
    if args.before:
        roots = {"before": (os.path.abspath(args.before), None), "after": (ROOT, None)}
    for lever in args.without:
        roots[f"without {lever}"] = (ROOT, lever)
    for lever in args.with_:
        roots[f"with {lever}"] = (ROOT, "+" + lever)
    for variant in args.variant:
        name, _, hocon = variant.partition("=")
        if not name or not hocon:
            parser.error(f"--variant wants NAME=HOCON, got: {variant}")
        roots[f"variant {name}"] = (ROOT, "=" + hocon)
    for root, _ in roots.values():
        ensure_jars(root)
    node = not args.no_node and shutil.which("node") is not None
    results = {name: {"start": [], "replace": [], "start_cpu": [], "replace_cpu": []}
               for name in list(roots) + (["node"] if node else [])}
    loads = []
    timeline = None
    for r in range(args.rounds):
        for name, (root, lever) in roots.items():
            loads.append(loadavg())
            first, replace, tl, first_cpu, replace_cpu = overseer_round(root, r == 0 and name == "after", lever)
            timeline = tl or timeline
            results[name]["start"].append(first)
            results[name]["replace"].append(replace)
            results[name]["start_cpu"].append(first_cpu)
            results[name]["replace_cpu"].append(replace_cpu)
            print(f"round {r + 1} {name}: first routed 200 {first * 1000:.0f} ms (CPU master {first_cpu[0]:.2f} s, "
                  f"workers {first_cpu[1]:.2f} s); "
                  f"kill -9 -> 2 online {replace * 1000:.0f} ms (CPU {replace_cpu:.2f} s); "
                  f"load {loads[-1]:.2f}", flush=True)
        if node:
            loads.append(loadavg())
            first, replace = node_round()
            results["node"]["start"].append(first)
            results["node"]["replace"].append(replace)
            print(f"round {r + 1} node: first 200 {first * 1000:.0f} ms; kill -9 -> new worker answers "
                  f"{replace * 1000:.0f} ms", flush=True)

    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = "bench/startup.py " + " ".join(sys.argv[1:])
    labels = {"before": f"Overseer before (`--before {args.before}`)",
              "after": "Overseer (this checkout)", "node": "Node `cluster` (2 workers, bench/peers/cluster.js)",
              **{f"without {lever}": f"Overseer (this checkout) without {lever}" for lever in args.without},
              **{f"with {lever}": f"Overseer (this checkout) with {lever}" for lever in args.with_},
              **{f"variant {v.partition('=')[0]}": f"Overseer (this checkout) + `{v.partition('=')[2]}`"
                 for v in args.variant}}
    jdk25 = aot_java()
    lines = [f"Measured {now} on {machine()}." + (
                 f" `--with aot` runs on {jdk25} (the AOT caches' JDK: `"
                 + subprocess.run([jdk25, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
                 + "`)." if jdk25 else ""),
             f"Command: `{command}`; load average (1 min) before each round: "
             f"{min(loads):.2f}–{max(loads):.2f} (median {statistics.median(loads):.2f}).",
             "",
             "| system | start command → first routed 200, ms (median) | all rounds | CPU s by then: master / 2 workers (medians) | `kill -9` of a worker, no spare → 2 serving again, ms (median) | all rounds | CPU s of the new worker (median) |",
             "|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        cpu = (lambda xs: f"{statistics.median(xs):.2f}" if xs else "–")
        split = (f"{statistics.median(m for m, _ in r['start_cpu']):.2f} / "
                 f"{statistics.median(w for _, w in r['start_cpu']):.2f}" if r["start_cpu"] else "–")
        lines.append(f"| {labels[name]} | {med_ms(r['start'])} | {all_ms(r['start'])} | {split} | "
                     f"{med_ms(r['replace'])} | {all_ms(r['replace'])} | {cpu(r['replace_cpu'])} |")
    if timeline:
        lines += ["", "Where the time goes, first round of this checkout (ms from the start command; log lines "
                  "have ms resolution, process starts 10 ms):", "", "| event | ms |", "|---|---|"]
        lines += [f"| {label} | {ms:,.0f} |" for label, ms in timeline]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("startup", "Start and replacement", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
