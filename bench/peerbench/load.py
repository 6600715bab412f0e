"""The load put on a system and the clients that watch it: wrk runs (timed, or for as long as an
action takes), the long computations of the blocking scenario, single probes and the new-connection
prober of the kill scenario."""
import http.client
import signal
import subprocess
import threading
import time
import urllib.request

import benchlib
from benchlib import parse_wrk

from .runlog import log
from .settings import (COMPUTE_HTTP_TIMEOUT, KILL_PROBE_EVERY, KILL_PROBE_TIMEOUT, KILL_PROBES_IN_FLIGHT, LOAD_LEAD,
                       LOAD_SETTLE, POLL, PROBE_TIMEOUT, STATUS_LUA, THROUGHPUT_CONNECTIONS, WARMUP_GAIN, WRK_MAX,
                       WRK_THREADS)


def url(system, path):
    return f"http://127.0.0.1:{system.port}{path}"


def wait_for(condition, timeout, what, poll=POLL):
    """benchlib.wait_for polling every 5 ms by default: recovery times are measured by these polls."""
    benchlib.wait_for(condition, timeout, what, poll)


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


# --- wrk ------------------------------------------------------------------------------------

def seconds(duration):
    return float(duration.rstrip("s"))


def wrk_args(connections, duration, url, timeout=None, script=None):
    return benchlib.wrk_command(url, connections, duration, threads=WRK_THREADS, timeout=timeout, script=script)


def wrk(connections, duration, url, timeout=None, script=None):
    args = wrk_args(connections, duration, url, timeout, script)
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


def warm_up(system, name, step, max_runs, path=None, connections=THROUGHPUT_CONNECTIONS, script=None):
    """wrk runs (on the trivial route unless `path` is given) until throughput stops climbing: two
    runs in a row under WARMUP_GAIN better."""
    log(f"warm-up {name}")
    last, flat = None, 0
    for _ in range(max_runs):
        rps = wrk(connections, step, url(system, path or system.trivial), script=script).get("rps", 0)
        flat = flat + 1 if last and rps < last * (1 + WARMUP_GAIN) else 0
        last = rps
        if flat >= 2:
            break


# --- the clients beside wrk -----------------------------------------------------------------

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
