"""Shared by the benchmark scripts: the jars, reading wrk's output, waiting for a condition, the demo
backend and the BFF route that calls it, and writing a section of BENCHMARKS.md."""
import os
import platform
import subprocess
import re
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MASTER_JAR = os.path.join(ROOT, "master/target/overseer-master.jar")
WORKER_JAR = os.path.join(ROOT, "worker/target/overseer-worker.jar")
EXAMPLES_JAR = os.path.join(ROOT, "examples/target/overseer-examples.jar")
# wrk script that alternates the demo backend's two resources of product 1, as a client calling the
# backend itself would: the reference beside a BFF route that makes both calls per request.
DIRECT_LUA = os.path.join(ROOT, "bench", "direct.lua")

# wrk prints latencies in the largest unit that keeps the figure short: minutes and hours too once
# requests wait long enough (a stalled worker).
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def parse_wrk(out):
    """req/s, p50/p99/max latency (ms), requests, failed (non-2xx/3xx + socket errors), and with
    bench/peers/status.lua the answers by status and the socket errors by kind. A figure wrk did not
    print is absent."""
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


def ensure_jars(root=ROOT):
    """Builds the master, worker and examples jars of the checkout at `root` if any is missing."""
    jars = [os.path.join(root, path) for path in ("master/target/overseer-master.jar",
                                                  "worker/target/overseer-worker.jar",
                                                  "examples/target/overseer-examples.jar")]
    if not all(os.path.exists(j) for j in jars):
        subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package"], cwd=root, check=True)


def wrk_summary(out):
    """Requests/s, p50/p99 (ms, when wrk ran with --latency, else None), total and failed requests;
    KeyError if wrk printed no totals (it did not run)."""
    r = parse_wrk(out)
    return {"rps": r["rps"], "total": r["requests"], "failed": r["failed"], "p50": r.get("p50"), "p99": r.get("p99")}


def wrk_command(url, connections, duration, threads=2, latency=True, timeout=None, script=None):
    """wrk's argument list; duration as wrk takes it (`10s`, or a number of seconds)."""
    duration = f"{duration}s" if isinstance(duration, (int, float)) else duration
    return (["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}"] + (["--latency"] if latency else [])
            + (["--timeout", timeout] if timeout else []) + (["-s", script] if script else []) + [url])


def run_wrk(url, connections, seconds, script=None):
    """One wrk run with latency figures, summarized by wrk_summary."""
    out = subprocess.run(wrk_command(url, connections, seconds, script=script),
                         capture_output=True, text=True, check=True).stdout
    return wrk_summary(out)


def cpu_model():
    try:
        return next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown cpu"


def machine(java="java"):
    """Cores, CPU, kernel and `java -version` (all its lines), for the head of a results section."""
    try:
        version = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
        version = "; ".join(version.strip().splitlines())
    except (OSError, subprocess.TimeoutExpired):
        version = "unknown"
    return f"{os.cpu_count()} cores ({cpu_model()}), {platform.system()} {platform.release()}, `java -version`: {version}"


def wait_for(condition, timeout, what="condition", poll=0.01):
    """Polls condition() every `poll` s until it is true; TimeoutError naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise TimeoutError(f"{what}: not within {timeout} s")


def demo_backend_command(port, jvm_options=("-Xmx128m",)):
    """The demo backend (Java, 8 handler threads) on 127.0.0.1:port: bench/bff.py runs it as an Overseer
    command app, bench/peers.py as a plain process that all three systems call."""
    return ["java", *jvm_options, "-jar", EXAMPLES_JAR,
            "--port", str(port), "--threads", "8"]


def bff_bench_route(backend_port):
    """Overseer config of the BFF route `/api/bench/{id}`: the demo backend's product and inventory
    called in parallel, repaired by the shipped conf/transforms/product.jslt."""
    conf = os.path.join(ROOT, "conf")
    return f"""overseer.bff.routes.bench {{
  path = "/api/bench/{{id}}"
  upstreams {{
    product   {{ url = "http://127.0.0.1:{backend_port}/products/{{path.id}}" }}
    inventory {{ url = "http://127.0.0.1:{backend_port}/inventory/{{path.id}}" }}
  }}
  transform-file = "{conf}/transforms/product.jslt"
}}
"""


def write_section(name, heading, body_lines):
    """Replaces the section between <!-- name:start --> and <!-- name:end --> in BENCHMARKS.md,
    or appends it under `heading`; returns the section's text."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = "\n".join([start, *body_lines, end])
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path).read()
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end):]
    else:
        text += f"\n## {heading}\n\n{section}\n"
    open(path, "w").write(text)
    return section
