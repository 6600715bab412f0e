"""Shared by the benchmark scripts: reading wrk's output and writing a section of BENCHMARKS.md."""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_summary(out):
    """Requests/s, p50/p99 (ms, when wrk ran with --latency), total and failed requests."""
    latency = {m.group(1): float(m.group(2)) * UNITS[m.group(3)]
               for m in re.finditer(r"\s(50|99)%\s+([\d.]+)(us|ms|s)", out)}
    failed = sum(int(x) for x in
                 re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|timeout)[: ]+(\d+)", out))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "total": int(re.search(r"(\d+) requests in", out).group(1)),
            "failed": failed, "p50": latency.get("50"), "p99": latency.get("99")}


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
