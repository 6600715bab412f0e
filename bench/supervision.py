#!/usr/bin/env python3
"""Supervision benchmark: kill -9 of a worker -> full capacity again (with and without spares),
and failed requests while `reload` replaces every worker under wrk load.

usage: bench/supervision.py [--kills 5] [--reload-connections 16]
Starts its own masters on free loopback ports (OVERSEER_HOME in a temp dir), kills only the pids
it read from its own master's admin API, stops every process it started, and writes the
"supervision" section of BENCHMARKS.md.
"""
import argparse
import json
import random
import re
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone

from benchlib import MASTER_JAR, ROOT, WORKER_JAR, ensure_jars, wait_for, wrk_command, wrk_summary, write_section  # noqa: F401 (re-exported)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_low_port():
    """A free port below Linux's ephemeral range: the master's cluster node then sorts before the
    workers' random ports and leads the cluster, as with the default port 25520."""
    for port in random.sample(range(20000, 30000), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port in 20000..29999")


def shipped_master_java_opts(root=ROOT, java="java"):
    """The master's JVM options when OVERSEER_MASTER_JAVA_OPTS is unset: bin/overseer's default, and
    its TRIM_NATIVE_HEAP when `java` is a JDK that knows the flag (17.0.9+, 21.0.1+, 22+), as there."""
    with open(os.path.join(root, "bin/overseer")) as f:
        script = f.read()
    m = re.search(r': "\$\{OVERSEER_MASTER_JAVA_OPTS=([^}]*)\}"', script)
    opts = tuple(m.group(1).split()) if m else ()
    trim = re.search(r'^TRIM_NATIVE_HEAP="([^"]*)"', script, re.M)
    if trim and trims_native_heap(java):
        opts += (trim.group(1),)
    return opts


def trims_native_heap(java):
    """Whether the JDK of `java` takes -XX:TrimNativeHeapInterval (its release file's version)."""
    path = shutil.which(java)
    if not path:
        return False
    try:
        with open(os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(path))), "release")) as f:
            v = re.search(r'^JAVA_VERSION="(\d+)(?:\.\d+\.(\d+))?', f.read(), re.M)
    except OSError:
        return False
    if not v:
        return False
    feature, update = int(v.group(1)), int(v.group(2) or 0)
    return feature >= 22 or (feature == 21 and update >= 1) or (feature == 17 and update >= 9)


class Master:
    def __init__(self, spares, instances=2, extra="", root=ROOT, master_java_opts=None, java="java"):
        """A master of the checkout at `root` (another one: a before/after), its JVM (`java`) started
        with `master_java_opts` (None: those bin/overseer run gives it by default, as a user gets);
        returns once `instances` workers are online and `spares` spares ready."""
        if master_java_opts is None:
            master_java_opts = shipped_master_java_opts(root, java)
        master_jar = os.path.join(root, "master/target/overseer-master.jar")
        worker_jar = os.path.join(root, "worker/target/overseer-worker.jar")
        self.dir = tempfile.mkdtemp(prefix="overseer-bench-")
        self.http = free_port()
        cluster = free_low_port()
        conf = os.path.join(self.dir, "overseer.conf")
        with open(conf, "w") as f:
            f.write(f'overseer {{ http.port = {self.http}\n cluster.port = {cluster}\n'
                    f' apps.web {{ instances = {instances}, spares = {spares}, jar = "{worker_jar}" }} }}\n{extra}\n')
        env = dict(os.environ, OVERSEER_HOME=os.path.join(self.dir, "home"))
        self.log = open(os.path.join(self.dir, "master.log"), "w")
        # The master's class-data-sharing archive, as bin/overseer run passes it (when the build made one).
        archive = master_jar[: -len(".jar")] + ".jsa"
        if os.path.exists(archive) and not any("SharedArchiveFile" in o for o in master_java_opts):
            master_java_opts = (*master_java_opts, f"-XX:SharedArchiveFile={archive}", "-Xlog:cds=off")
        self.proc = subprocess.Popen([java, *master_java_opts, "-jar", master_jar, "--config", conf], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.pids = set()
        self.wait(lambda: self.full_capacity(instances, spares), 120)

    def url(self, path):
        return f"http://127.0.0.1:{self.http}{path}"

    def admin(self, path, method="GET"):
        token = open(os.path.join(self.dir, "home/admin.token")).read().strip()
        req = urllib.request.Request(self.url(path), method=method, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=300) as r:
            return json.load(r)

    def workers(self):
        try:
            workers = self.admin("/_admin/workers")["workers"]
        except Exception:
            return []
        self.pids.update(w["pid"] for w in workers if w.get("pid"))
        return workers

    def full_capacity(self, instances, spares):
        ws = self.workers()
        workers = [w for w in ws if w.get("mode", "worker") == "worker"]
        return (sum(1 for w in workers if w["state"] == "online") == instances
                and sum(1 for w in workers if w["state"] == "spare") == spares)

    @staticmethod
    def wait(condition, timeout, poll=0.01):
        wait_for(condition, timeout, "condition", poll)
        return True

    def stop(self):
        self.workers()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        # Only a pid that is still one of this master's processes (its command line names this run's
        # directory): a worker gone with its master leaves a pid that another process may have taken
        # by now (pid_max is 32768 here and every thread of every JVM takes one).
        for pid in self.pids:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if self.dir.encode() not in f.read():
                        continue
                os.kill(pid, signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass


def kill_to_capacity(spares, kills):
    master = Master(spares)
    try:
        times = []
        for _ in range(kills):
            victim = next(w for w in master.workers() if w["id"] == "web-0")["pid"]
            t0 = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            master.wait(lambda: not any(w.get("pid") == victim for w in master.workers())
                        and master.full_capacity(2, 0), 120)
            serving = time.monotonic() - t0
            master.wait(lambda: master.full_capacity(2, spares), 120)
            times.append(serving)
        return times
    finally:
        master.stop()


def reload_under_load(connections):
    master = Master(0)
    try:
        before = {w["pid"] for w in master.workers() if w["state"] == "online"}
        wrk = subprocess.Popen(wrk_command(master.url("/compute?n=1000"), connections, 120, latency=False),
                               stdout=subprocess.PIPE, text=True)
        time.sleep(2)  # load established before the reload starts
        t0 = time.monotonic()
        result = master.admin("/_admin/apps/web/reload", method="POST")
        reload_seconds = time.monotonic() - t0
        time.sleep(2)
        wrk.send_signal(signal.SIGINT)
        summary = wrk_summary(wrk.communicate(timeout=30)[0])
        after = {w["pid"] for w in master.workers() if w["state"] == "online"}
        return {"requests": summary["total"], "failed": summary["failed"], "reload_s": reload_seconds, "message": result["message"],
                "all_new": not (before & after)}
    finally:
        master.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--reload-connections", type=int, default=16)
    args = parser.parse_args()
    ensure_jars()
    without = kill_to_capacity(0, args.kills)
    with_spare = kill_to_capacity(1, args.kills)
    reload = reload_under_load(args.reload_connections)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    med = lambda xs: statistics.median(xs) * 1000
    section = write_section("supervision", "Supervision: crash recovery and reload", [
        f"Measured {now}, {os.cpu_count()} cores, master + 2 workers on loopback.",
        f"Command: `bench/supervision.py --kills {args.kills} --reload-connections {args.reload_connections}`",
        "",
        "| scenario | median | all runs |",
        "|---|---|---|",
        f"| `kill -9` of a worker → 2 workers serving again, no spares | {med(without):.0f} ms | "
        + ", ".join(f"{t * 1000:.0f}" for t in without) + " ms |",
        f"| `kill -9` of a worker → 2 workers serving again, `spares = 1` | {med(with_spare):.0f} ms | "
        + ", ".join(f"{t * 1000:.0f}" for t in with_spare) + " ms |",
        "",
        f"Spare / no spare: **{statistics.median(with_spare) / statistics.median(without):.3f}x** (same run).",
        "",
        f"Reload of 2 workers under `wrk -c{args.reload_connections}` on `/compute?n=1000`: "
        f"**{reload['failed']} failed** of {reload['requests']} requests; the reload took {reload['reload_s']:.1f} s "
        f"({reload['message']}); every worker afterwards new: {reload['all_new']}.",
    ])
    print(section)


if __name__ == "__main__":
    sys.exit(main())
