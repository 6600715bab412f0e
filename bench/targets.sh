#!/usr/bin/env bash
# Issue 15's six targets in one run of the harness, back to back on the same machine and build:
#   bench/targets.sh [--rounds N] [--quick]
#     --rounds N   rounds of every part (default 3; warm-up takes 2 whatever N, its rounds are long)
#     --quick      1 round and short runs everywhere: to try the script, not to quote
# Parts, in order (each writes its own section of BENCHMARKS.md, as when run alone):
#   1. bench/peers.sh          the peers' table: throughput with nginx and the edge-local /health
#                              (target 5), kill, reload, start and memory, the BFF route (target 6)
#   2. bench/startup.py        bin/overseer run -> first routed 200 (target 1); kill -9 without a
#                              spare -> serving again (target 2); Node's cluster beside it
#   3. bench/warmup.py         per second after a start and after a rolling reload (target 3)
#   4. bench/memory.py --load  idle memory of the master and its workers, and again after load
#                              (target 4; printed, not written: the output is in the log)
# Everything printed also goes to bench/results/targets-<time>.log; at the end bench/targets_summary.py
# reads the six targets back from that log into one table (the "targets" section of BENCHMARKS.md; not
# written by --quick). Builds the jars once up front if they are missing; every part stops the
# processes it started, by pid.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=3
QUICK=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --quick) QUICK=1; ROUNDS=1; shift ;;
    *) echo "bench/targets: unknown option $1 (see the head of this script)" >&2; exit 2 ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "bench/targets: --rounds wants a whole number above 0" >&2; exit 2; }

cd "$ROOT"
mkdir -p bench/results
LOG="bench/results/targets-$(date -u +%Y-%m-%dT%H-%M-%SZ).log"

if [[ ! -f master/target/overseer-master.jar || ! -f worker/target/overseer-worker.jar ]]; then
  mvn -B -q -DskipTests package
fi

# part NAME COMMAND...: a header naming the part (the summary finds each part by it), then the part,
# everything it prints also appended to the log.
part() {
  local name="$1"; shift
  { echo; echo "=== bench/targets: $name ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)) ==="; } | tee -a "$LOG"
  "$@" 2>&1 | tee -a "$LOG"
}
START=$(date +%s)
if [[ -n "$QUICK" ]]; then
  part "peers.sh --quick" bench/peers.sh --quick --no-write
  part "startup.py --rounds 1" python3 bench/startup.py --rounds 1 --no-write
  part "warmup.py --rounds 1" python3 bench/warmup.py --rounds 1 --seconds 10 --no-write
  part "memory.py --rounds 1" python3 bench/memory.py --rounds 1 --load 3
  python3 bench/targets_summary.py "$LOG"
else
  part "peers.sh --rounds $ROUNDS" bench/peers.sh --rounds "$ROUNDS"
  part "startup.py --rounds $ROUNDS" python3 bench/startup.py --rounds "$ROUNDS"
  part "warmup.py --rounds 2" python3 bench/warmup.py --rounds 2
  part "memory.py --rounds $ROUNDS --load 5" python3 bench/memory.py --rounds "$ROUNDS" --load 5
  python3 bench/targets_summary.py "$LOG" --write
fi
echo
echo "bench/targets: all parts done in $(( ($(date +%s) - START) / 60 )) min; log: $LOG"
