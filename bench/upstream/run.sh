#!/usr/bin/env bash
# The worker's upstream client against java.net.http's, in one run (BENCHMARKS.md, "BFF: the upstream
# client"): starts the demo backend on a free loopback port, runs bench/upstream/UpstreamClients.java
# for each client in turn, ROUNDS times, and stops the backend by its pid.
#   bench/upstream/run.sh [ROUNDS=2] [CONCURRENCY=16] [SECONDS=10]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-2}"; CONCURRENCY="${2:-16}"; SECONDS_EACH="${3:-10}"
JAR="$ROOT/examples/target/overseer-examples.jar"
[[ -f "$JAR" ]] || (cd "$ROOT" && mvn -B -q -DskipTests package)
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
java -Xmx128m -jar "$JAR" --port "$PORT" --threads 8 >/dev/null 2>&1 &
BACKEND=$!
trap 'kill "$BACKEND" 2>/dev/null || true; wait "$BACKEND" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/products/1" >/dev/null && break
  sleep 0.1
done
echo "demo backend pid $BACKEND on port $PORT; $CONCURRENCY pairs in flight, ${SECONDS_EACH}s after 10s of warm-up; load $(cut -d' ' -f1 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  for client in jnh blocking; do
    echo -n "round $round: "
    java -XX:+UseSerialGC -Dhttp.maxConnections=64 "$ROOT/bench/upstream/UpstreamClients.java" \
      "$client" "$PORT" "$CONCURRENCY" "$SECONDS_EACH"
  done
done
