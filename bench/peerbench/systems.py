"""The systems under test, and the demo backend of scenario 6: started on free loopback ports, each
registered in STARTED as soon as it has a process, and stopped by pid (never by name).

A system has: port, trivial (path of a route that proves a worker serves), first_ok (s from its start
command to the first 200 on it), worker_pids(), supervisor_pid(), ready() (all workers up and
answering), kill_one() -> {victim, serving_s, ...}, stop(); Overseer and pm2 also reload()."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from typing import NamedTuple

from benchlib import bff_bench_route, demo_backend_command
from supervision import Master, free_port  # reused, not copied

from .load import probe, wait_for
from .runlog import log
from .settings import (BACKEND_JVM_OPTIONS, BFF_JS, CLUSTER_JS, HEALTH, OVERSEER_TRIVIAL, PEER_TRIVIAL, PM2,
                       RECOVERY_TIMEOUT, RELOAD_TIMEOUT, SERVER_JS, START_TIMEOUT, STOP_TIMEOUT, WORKERS)

STARTED = []        # every system started, stopped at exit whatever happens


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


# --- processes ------------------------------------------------------------------------------

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


def memory_mib(pid):
    """VmRSS, the private part of it (RssAnon) and PSS: resident pages shared with other processes
    (a JVM's class-data archive, Node's binary) count whole in every RSS but split in PSS, which
    is what each process adds to the machine."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "RssAnon"):
                fields[key] = int(rest.split()[0]) / 1024
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                fields["Pss"] = int(line.split()[1]) / 1024
    if len(fields) != 3:
        raise ValueError(f"no memory figures for {pid}")
    return {"rss": fields["VmRSS"], "anon": fields["RssAnon"], "pss": fields["Pss"]}


def terminate(proc):
    """SIGTERM to a process we started, SIGKILL if it is still there after STOP_TIMEOUT."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def kill_if_ours(pid, marker):
    """SIGKILL a pid we started, unless it is gone or now another program (pid reuse)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if marker.encode() not in f.read():
                return
        os.kill(pid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        pass


# --- Overseer -------------------------------------------------------------------------------

class TimedMaster(Master):
    """supervision.Master that also notes when the trivial route first answers 200 while the base
    class waits for the workers to be ready (its full_capacity is polled every 10 ms), or after it
    if the route had not answered yet when the workers were all online (a loaded machine)."""

    def __init__(self, spares, extra=""):
        self.started = time.monotonic()
        self.first_ok = None
        try:
            super().__init__(spares, extra=extra)
            if self.first_ok is None:
                wait_for(lambda: probe(self.http, OVERSEER_TRIVIAL)[0] == 200, START_TIMEOUT, "overseer first answer")
                self.first_ok = time.monotonic() - self.started
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

    def __init__(self, spares=0, extra=""):
        """extra: more config for the master (scenario 6: its BFF route)."""
        self.spares = spares
        self.master = TimedMaster(spares, extra)
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


def overseer_bff(backend_port):
    """Overseer with the BFF route of bench/bff.py, calling the demo backend on backend_port."""
    return Overseer(extra=bff_bench_route(backend_port))


# --- the Node peers -------------------------------------------------------------------------

class PeerApp(NamedTuple):
    """What a Node system runs: the script, a route whose answers carry X-Pid (to tell the workers
    apart), and the environment the script needs besides PORT."""
    script: str
    trivial: str
    env: dict


SERVER_APP = PeerApp(SERVER_JS, PEER_TRIVIAL, {})


def bff_app(backend_port):
    """bench/peers/bff.js, calling the demo backend on backend_port."""
    return PeerApp(BFF_JS, HEALTH, {"BACKEND": f"http://127.0.0.1:{backend_port}"})


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


def peer_kill_one(system):
    """kill -9 of one worker -> a pid never seen before answers on the trivial route (the scenario
    has set system.prober, which probes it on new connections)."""
    wait_for(system.ready, START_TIMEOUT, "peer workers ready before the kill", poll=0.05)
    before = set(system.worker_pids()) | system.seen
    victim = sorted(system.worker_pids())[0]
    system.prober.watch_for_new(before)
    t0 = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    answered_at, new_pid = system.prober.until_new_pid(RECOVERY_TIMEOUT)
    system.seen.add(new_pid)
    return {"victim": victim, "serving_s": answered_at - t0, "new_pid": new_pid}


class NodeCluster:
    """bench/peers/cluster.js: the classic cluster primary forking WORKERS copies of the app."""

    def __init__(self, app=SERVER_APP):
        self.trivial = app.trivial
        self.dir = tempfile.mkdtemp(prefix="overseer-peers-cluster-")
        self.port = free_port()
        self.seen = set()
        self.log_file = open(os.path.join(self.dir, "cluster.log"), "w")
        self.started = time.monotonic()
        env = dict(os.environ, PORT=str(self.port), WORKERS=str(WORKERS), APP_SCRIPT=app.script, **app.env)
        self.proc = subprocess.Popen(["node", CLUSTER_JS], stdout=self.log_file, stderr=subprocess.STDOUT, env=env)
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
        terminate(self.proc)
        for pid in set(pids) | self.seen:
            kill_if_ours(pid, "node")
        self.log_file.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Pm2:
    """`pm2 start <app> -i WORKERS` with its own PM2_HOME (so its own daemon), `pm2 kill` at the end."""
    APP = "web"

    def __init__(self, graceful=False, app=SERVER_APP):
        self.trivial = app.trivial
        self.home = tempfile.mkdtemp(prefix="overseer-peers-pm2-")
        self.port = free_port()
        self.seen = set()
        self.env = dict(os.environ, PM2_HOME=self.home, PORT=str(self.port), GRACEFUL="1" if graceful else "0",
                        **app.env)
        STARTED.append(self)
        self.log_file = open(os.path.join(self.home, "bench.log"), "w")
        # Cold: this PM2_HOME is new, so `pm2 start` also spawns the pm2 daemon, as on a fresh box.
        self.started = time.monotonic()
        start = subprocess.Popen([PM2, "start", app.script, "-i", str(WORKERS), "--name", self.APP],
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


# --- the upstream of scenario 6 -------------------------------------------------------------

class DemoBackend:
    """ONE demo backend process that all three systems' BFF routes call, so that they share the
    upstream's cost and its warm JIT; run directly, it is also the reference beside them."""
    trivial = "/products/1"

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="overseer-peers-backend-")
        self.port = free_port()
        self.log_file = open(os.path.join(self.dir, "backend.log"), "w")
        self.proc = subprocess.Popen(demo_backend_command(self.port, BACKEND_JVM_OPTIONS),
                                     stdout=self.log_file, stderr=subprocess.STDOUT)
        STARTED.append(self)
        wait_for(lambda: probe(self.port, self.trivial)[0] == 200, START_TIMEOUT, "demo backend first answer",
                 poll=0.05)

    def stop(self):
        # SIGTERM: the backend's shutdown hook drains within its stop grace (1 s) and exits
        terminate(self.proc)
        self.log_file.close()
        shutil.rmtree(self.dir, ignore_errors=True)
