#!/usr/bin/env python3
"""Issue 15's six targets, read from one log of bench/targets.sh, as one table.

usage: bench/targets_summary.py LOG [--write]
  LOG      bench/results/targets-<time>.log (what bench/targets.sh printed)
  --write  also write the table into the "targets" section of BENCHMARKS.md

Every figure comes from that one run: the parts print their own tables (peers.sh its scenarios,
startup.py its medians, warmup.py a row per round, memory.py its medians) and this reads them back,
so the summary cannot drift from what was measured. A part that did not print its table gives "n/a".
"""
import argparse
import os
import re
import statistics
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

SECTION, HEADING = "targets", "Issue 15's six targets in one run"


def number(text):
    return float(text.replace(",", "").strip())


def cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def part(log, name):
    """The text of one part of the log: from its '=== bench/targets: NAME' line to the next."""
    match = re.search(r"^=== bench/targets: " + re.escape(name) + r".*?$(.*?)(?=^=== bench/targets:|\Z)",
                      log, re.M | re.S)
    return match.group(1) if match else ""


def row(text, starts):
    for line in text.splitlines():
        if line.startswith("| " + starts):
            return cells(line)
    return None


def ratio(cell):
    match = re.match(r"([\d.]+)x", cell or "")
    return float(match.group(1)) if match else None


def summary(log):
    peers, startup, warmup, memory = (part(log, n) for n in ("peers.sh", "startup.py", "warmup.py", "memory.py"))
    rows = []

    overseer = row(startup, "Overseer (this checkout) |")
    node = row(startup, "Node `cluster`")
    header = row(startup, "system |")
    if overseer and header:
        # Columns by their headings: startup.py has grown columns before (CPU seconds).
        start = next(i for i, h in enumerate(header) if h.startswith("start command"))
        kill = next(i for i, h in enumerate(header) if h.startswith("`kill -9`"))
        for name, goal, i, limit in (("1 start: `bin/overseer run` -> first routed 200", "<= 2.0 s", start, 2000),
                                     ("2 kill -9, no spare -> serving again", "<= 1.0 s", kill, 1000)):
            got = f"{number(overseer[i]) / 1000:.1f} s"
            if node:
                got += f" (Node's cluster {number(node[i]) / 1000:.2f} s)"
            rows.append((name, goal, got, number(overseer[i]) <= limit))

    # Columns by their headings: warmup.py's table has grown a variant column and the reload read
    # from the first new worker routable. Only the shipped variant's rows count.
    header = next((cells(l) for l in warmup.splitlines() if l.startswith("| variant | round")), None)
    rounds = [cells(l) for l in warmup.splitlines() if l.startswith("| shipped | ")]
    if header and rounds:
        col = lambda text, after=0: next(i for i, h in enumerate(header) if i > after and h.startswith(text))  # noqa: E731
        med = lambda i: statistics.median(number(r[i].rstrip("x")) for r in rounds)  # noqa: E731
        start_low = med(col("after start"))
        start_p99 = med(col("first 10 s p99"))
        routable = col("from the first new worker routable")
        reload_low, reload_mean = med(routable), med(col("its first 10 s: mean"))
        reload_p99 = med(col("p99 (bound)", routable))
        rows.append(("3 warm-up after a start: lowest 1 s ÷ steady; first 10 s p99 ÷ steady",
                     ">= 0.50; <= 3x", f"{start_low:.2f}; {start_p99:.1f}x (median of {len(rounds)} rounds)",
                     start_low >= 0.5 and start_p99 <= 3))
        rows.append(("3 warm-up after a rolling reload, from the first new worker routable: lowest 1 s "
                     "(mean of 10 s) ÷ steady; p99 ÷ steady", ">= 0.50; <= 3x",
                     f"{reload_low:.2f} ({reload_mean:.2f}); {reload_p99:.1f}x",
                     reload_low >= 0.5 and reload_p99 <= 3))

    shipped = row(memory, "shipped |")
    if shipped:
        w_pss, w_private, m_pss = number(shipped[2]), number(shipped[3]), number(shipped[6])
        rows.append(("4 idle memory: worker PSS / private; master PSS", "<= 64 / 48; <= 150 MiB",
                     f"{w_pss:.0f} / {w_private:.0f}; {m_pss:.0f} MiB", w_pss <= 64 and w_private <= 48 and m_pss <= 150))

    health = row(peers, "Overseer's edge-local `/health`")
    nginx = row(peers, "nginx")
    if health and nginx:
        to_nginx, to_health = ratio(nginx[5]), ratio(health[5])
        rows.append(("5 routed trivial request ÷ nginx -> 2 Node; ÷ the edge-local /health", ">= 1.0x; >= 0.5x",
                     f"{to_nginx:.2f}x; {to_health:.2f}x", to_nginx >= 1.0 and to_health >= 0.5))
    bff = peers[peers.find("**6."):] if "**6." in peers else ""  # scenario 6's table
    bff_node = row(bff, "Node `cluster`")
    if bff_node:
        to_node = ratio(bff_node[6])
        rows.append(("6 BFF route, two upstream calls ÷ Node's cluster", ">= 1.5x", f"{to_node:.2f}x", to_node >= 1.5))
    return rows


def table(rows):
    lines = ["| target | goal | measured | met |", "|---|---|---|---|"]
    lines += [f"| {name} | {goal} | {got} | {'yes' if met else 'no'} |" for name, goal, got, met in rows]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("log")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    log = open(args.log, encoding="utf-8").read()
    rows = summary(log)
    if not rows:
        sys.exit(f"bench/targets_summary: no part's table found in {args.log}")
    lines = table(rows)
    print("\n".join(lines))
    if args.write:
        loads = re.findall(r"^=== bench/targets: (.*?) \((\d\d:\d\d:\d\d) UTC, load ([\d.]+)", log, re.M)
        body = [f"`bench/targets.sh` runs every part back to back on one build; this table is read from its log "
                f"(`{os.path.relpath(args.log, benchlib.ROOT)}`) by `bench/targets_summary.py`. Each part also "
                "wrote its own section of this file in the same run (memory.py prints only: its table is in the log).",
                "", "Parts, with the 1-minute load average before each: "
                + "; ".join(f"{name} at {time} UTC, load {load}" for name, time, load in loads) + ".", "", *lines]
        benchlib.write_section(SECTION, HEADING, body)


if __name__ == "__main__":
    main()
