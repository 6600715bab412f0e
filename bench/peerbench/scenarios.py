"""The scenarios. Each runs every system of it in every round, rotating the order, and returns
{"results": {system: [one dict per round]}, "errors": {system: [repr of a failed run]}} for the
report."""
import json
import statistics
import time

from .load import ComputeKeeper, Prober, WrkInBackground, url, wait_for, warm_up, wrk
from .runlog import log, note_load
from .settings import (BLOCKING_CONNECTIONS, BLOCKING_IN_FLIGHT, BLOCKING_LEAD, BLOCKING_N, BLOCKING_WRK_TIMEOUT,
                       HEALTH, IDLE_SETTLE, LOAD_CONNECTIONS, START_TIMEOUT, SYSTEMS, THROUGHPUT_CONNECTIONS)
from .systems import NodeCluster, Overseer, Pm2, rss_mib, stop


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


# --- 1 to 4: on the long-lived systems ------------------------------------------------------

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


# --- 5: fresh instances ---------------------------------------------------------------------

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

