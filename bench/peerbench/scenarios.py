"""The six scenarios. Each runs every system of it in every round, rotating the order, and returns
{"results": {system: [one dict per round]}, "errors": {system: [repr of a failed run]}} for the
report; scenario 6 also says whether the systems' answers agree ("answers")."""
import http.client
import json
import statistics
import time

from benchlib import DIRECT_LUA

from .load import ComputeKeeper, Prober, WrkInBackground, url, wait_for, warm_up, wrk
from .runlog import log, note_load
from .settings import (BFF_ANSWER_TIMEOUT, BFF_CONNECTIONS, BFF_PATH, BLOCKING_CONNECTIONS, BLOCKING_IN_FLIGHT,
                       BLOCKING_LEAD, BLOCKING_N, BLOCKING_WRK_TIMEOUT, HEALTH, IDLE_SETTLE, LOAD_CONNECTIONS,
                       START_TIMEOUT, SYSTEMS, THROUGHPUT_CONNECTIONS, THROUGHPUT_SYSTEMS)
from .systems import DemoBackend, NodeCluster, Overseer, Pm2, bff_app, memory_mib, overseer_bff, stop


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
        if name == "overseer-health":
            return wrk(THROUGHPUT_CONNECTIONS, duration, url(systems["overseer"], HEALTH))
        s = systems[name]
        return wrk(THROUGHPUT_CONNECTIONS, duration, url(s, s.trivial))
    return each_round("1 throughput", THROUGHPUT_SYSTEMS, rounds, run)


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
            memory = [memory_mib(p) for p in workers]
            supervisor = memory_mib(s.supervisor_pid())
            return {"first_ok_s": s.first_ok, "worker_rss": [m["rss"] for m in memory],
                    "worker_pss": [m["pss"] for m in memory], "worker_anon": [m["anon"] for m in memory],
                    "supervisor_rss": supervisor["rss"], "supervisor_pss": supervisor["pss"]}
        finally:
            stop(s)
    return each_round("5 cold start and idle RSS", SYSTEMS, rounds, run)


# --- 6: a BFF route with two upstream calls -------------------------------------------------

def scenario_bff(rounds, duration, warmup):
    """Overseer's BFF route and bench/peers/bff.js under cluster and pm2, all calling ONE demo
    backend (product + inventory in parallel, the JSLT repair or its port to JS), plus the backend
    called directly for reference. Own instances: started here, stopped here."""
    names = SYSTEMS + ("backend",)
    started = []
    try:
        note_load("start-up of the BFF systems")
        backend = DemoBackend()
        started.append(backend)
        systems = {"backend": backend}
        for name, make in (("overseer", lambda: overseer_bff(backend.port)),
                           ("cluster", lambda: NodeCluster(bff_app(backend.port))),
                           ("pm2", lambda: Pm2(app=bff_app(backend.port)))):
            systems[name] = make()
            started.append(systems[name])
        log(f"demo backend: port {backend.port}, pid {backend.proc.pid}; "
            + "; ".join(f"{n}: port {systems[n].port}" for n in SYSTEMS))
        answers = compare_answers(systems)
        for name in SYSTEMS:
            warm_up(systems[name], name, *warmup, path=BFF_PATH, connections=BFF_CONNECTIONS)
        warm_up(backend, "backend (directly)", *warmup, path="/", connections=BFF_CONNECTIONS, script=DIRECT_LUA)

        def run(name):
            if name == "backend":      # the script picks the paths
                return wrk(BFF_CONNECTIONS, duration, url(backend, "/"), script=DIRECT_LUA)
            return wrk(BFF_CONNECTIONS, duration, url(systems[name], BFF_PATH))
        result = each_round("6 bff", names, rounds, run)
        result["answers"] = answers
        return result
    except Exception as e:  # noqa: BLE001 -- a system that would not start: report it, keep the rest
        log(f"!! scenario 6 could not run: {e!r}")
        return {"results": {n: [] for n in names}, "errors": {n: [] for n in names}, "setup_error": repr(e)}
    finally:
        for s in reversed(started):    # the backend last: nothing calls it by then
            stop(s)


def fetch(port, path):
    """One GET: (status or None, Content-Type, body text or the error)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=BFF_ANSWER_TIMEOUT)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.getheader("Content-Type", ""), resp.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as e:
        return None, "", repr(e)
    finally:
        conn.close()


def key_paths(doc, prefix=""):
    """Every key of a JSON document, a nested one as parent.child, one inside list items as parent[].child."""
    keys = set()
    if isinstance(doc, dict):
        for k, v in doc.items():
            keys.add(prefix + k)
            keys |= key_paths(v, prefix + k + ".")
    elif isinstance(doc, list):
        for item in doc:
            keys |= key_paths(item, prefix.rstrip(".") + "[].")
    return keys


def compare_answers(systems):
    """Before any load: each system's answer to BFF_PATH must be a 200 JSON object with the same keys
    as Overseer's (and, ideally, the same document). The answers go to the raw output; what does not
    agree goes to the report."""
    answers, docs, problems = {}, {}, []
    for name in SYSTEMS:
        status, ctype, body = fetch(systems[name].port, BFF_PATH)
        log(f"answer of {name} to GET {BFF_PATH}: {status} {ctype} {body}")
        try:
            doc = json.loads(body)
        except ValueError:
            doc = None
        answers[name] = {"status": status, "content_type": ctype, "keys": sorted(key_paths(doc))}
        if status != 200:
            problems.append(f"{name} answered {status}")
        if not isinstance(doc, dict) or "json" not in ctype:
            problems.append(f"{name}'s answer is not a JSON object ({ctype or 'no Content-Type'})")
        docs[name] = doc
    reference = set(answers["overseer"]["keys"])
    for name in SYSTEMS[1:]:
        keys = set(answers[name]["keys"])
        if keys != reference:
            problems.append(f"{name}'s keys differ from Overseer's (only in it: {sorted(keys - reference)}; "
                            f"missing: {sorted(reference - keys)})")
    same_keys = not any("keys differ" in p for p in problems)
    # == on parsed JSON: 20.0 (JSLT's number("20.00")) equals 20 (JavaScript's), as a client reads them
    same_document = all(docs[n] == docs["overseer"] for n in SYSTEMS)
    log(f"answers agree: keys {same_keys}, document {same_document}; problems: {problems or 'none'}")
    return {"by_system": answers, "same_keys": same_keys, "same_document": same_document, "problems": problems,
            "keys": answers["overseer"]["keys"]}
