#!/usr/bin/env bash
# The per-call cost of the BFF's circuit breaker: the worker's own against Pekko's CircuitBreaker
# (see bench/breaker/io/overseer/worker/bff/BreakerCost.java). Needs the worker jar:
#   mvn -B -q -DskipTests package && bench/breaker.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/worker/target/overseer-worker.jar"
[[ -f "$JAR" ]] || { echo "bench: build the jars first (mvn -B -q -DskipTests package)" >&2; exit 1; }
CLASSES="$(mktemp -d)"
trap 'rm -rf "$CLASSES"' EXIT
javac -d "$CLASSES" -cp "$JAR" "$ROOT/bench/breaker/io/overseer/worker/bff/BreakerCost.java"
java -Xmx256m -cp "$CLASSES:$JAR" io.overseer.worker.bff.BreakerCost
