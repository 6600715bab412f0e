#!/usr/bin/env bash
# Overseer benchmark: edge-local /health against /compute?n=1 routed through a worker JVM.
#   bench/run.sh [--duration 10s] [--connections 64] [--rounds 3] [--extra-config FILE]
# Starts its own master (+2 workers) on free loopback ports with OVERSEER_HOME in a temp dir,
# alternates the scenarios for several rounds, writes bench/results/<timestamp>.md and the summary
# table of BENCHMARKS.md, and stops every process it started, by pid.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=10s
CONNECTIONS=64
ROUNDS=3
EXTRA_CONFIG=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --extra-config) EXTRA_CONFIG="$2"; shift 2 ;;   # HOCON appended to the master's config (A/B runs)
    *) echo "usage: bench/run.sh [--duration 10s] [--connections 64] [--rounds 3]" >&2; exit 64 ;;
  esac
done

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -q wrk >&2 || { $SUDO apt-get update -q >&2 && $SUDO apt-get install -y -q wrk >&2; }
fi
if [[ ! -f "$ROOT/master/target/overseer-master.jar" || ! -f "$ROOT/worker/target/overseer-worker.jar" ]]; then
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/overseer-bench-XXXXXX")"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
HTTP_PORT=$(free_port)
# Below the ephemeral range, so that the master's node leads the cluster (as with the default 25520).
CLUSTER_PORT=$(python3 -c 'import sys; sys.path.insert(0, "'"$ROOT"'/bench"); from supervision import free_low_port; print(free_low_port())')
cat > "$WORK/overseer.conf" <<CONF
overseer {
  http.port = $HTTP_PORT
  cluster.port = $CLUSTER_PORT
  apps.web { mode = worker, instances = 2, jar = "$ROOT/worker/target/overseer-worker.jar" }
}
CONF
[[ -n "$EXTRA_CONFIG" ]] && cat "$EXTRA_CONFIG" >> "$WORK/overseer.conf"

MASTER_PID=""
cleanup() {
  if [[ -n "$MASTER_PID" ]]; then
    local workers
    workers=$(worker_pids || true)
    kill -TERM "$MASTER_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$MASTER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$MASTER_PID" 2>/dev/null || true
    for pid in $workers; do kill -KILL "$pid" 2>/dev/null || true; done
  fi
}
trap cleanup EXIT
worker_pids() {
  curl -s -H "Authorization: Bearer $(cat "$WORK/home/admin.token")" "http://127.0.0.1:$HTTP_PORT/_admin/workers" \
    | python3 -c 'import sys,json; print(" ".join(str(w["pid"]) for w in json.load(sys.stdin)["workers"] if w.get("pid")))'
}

OVERSEER_HOME="$WORK/home" java -jar "$ROOT/master/target/overseer-master.jar" --config "$WORK/overseer.conf" \
  > "$WORK/master.log" 2>&1 &
MASTER_PID=$!
for _ in $(seq 1 600); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/ready")" == "200" ]] && break
  kill -0 "$MASTER_PID" 2>/dev/null || { cat "$WORK/master.log"; exit 1; }
  sleep 0.1
done
# Both workers must be ready, not just one.
for _ in $(seq 1 600); do
  [[ "$(curl -s "http://127.0.0.1:$HTTP_PORT/ready")" == *'"workers":2'* ]] && break
  sleep 0.1
done

# Warm-up: let the JIT compile the hot path on master and workers before measuring.
wrk -t2 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$HTTP_PORT/health" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$HTTP_PORT/compute?n=1" > /dev/null

RAW="$WORK/raw.txt"
: > "$RAW"
for round in $(seq 1 "$ROUNDS"); do
  for scenario in health compute; do
    path="/health"; [[ "$scenario" == compute ]] && path="/compute?n=1"
    echo "== $scenario round $round" >> "$RAW"
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$HTTP_PORT$path" >> "$RAW"
  done
done

mkdir -p "$ROOT/bench/results"
STAMP="$(date -u +%Y-%m-%dT%H-%M-%SZ)"
python3 "$ROOT/bench/report.py" "$RAW" "$ROOT/bench/results/$STAMP.md" "$ROOT/BENCHMARKS.md" \
  "bench/run.sh --duration $DURATION --connections $CONNECTIONS --rounds $ROUNDS"
echo "bench: results in bench/results/$STAMP.md and BENCHMARKS.md"
