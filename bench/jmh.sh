#!/usr/bin/env bash
# JMH microbenchmarks of the hot pieces: the routing strategies (nanoseconds per pick at 2, 16 and 256
# candidates) and the routed request's encoding and decoding (CBOR in use against JSON).
#   bench/jmh.sh [JMH options...]   e.g. bench/jmh.sh -f 2 -i 10   or   bench/jmh.sh CodecBenchmark
# Installs the project into a bench-local Maven repository (bench/.m2, so the shared ~/.m2 is never
# written), builds bench/jmh, runs the benchmarks, keeps the raw output under bench/results/, and
# writes the summary table of BENCHMARKS.md. JMH options given here replace the defaults of the same name.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$ROOT/bench/.m2"
# Modest on purpose: about four minutes on two cores, enough for steady nanosecond figures.
DEFAULTS=(-f 1 -wi 3 -w 1s -i 5 -r 1s)

passed() {
  local flag="$1"; shift
  for arg in "$@"; do [[ "$arg" == "$flag" ]] && return 0; done
  return 1
}
JMH_ARGS=()
for ((i = 0; i < ${#DEFAULTS[@]}; i += 2)); do
  passed "${DEFAULTS[i]}" "$@" || JMH_ARGS+=("${DEFAULTS[i]}" "${DEFAULTS[i + 1]}")
done
JMH_ARGS+=("$@")

echo "bench: installing the project into $REPO" >&2
(cd "$ROOT" && mvn -B -q -Dmaven.repo.local="$REPO" -DskipTests -pl master -am install)
echo "bench: building bench/jmh" >&2
(cd "$ROOT/bench/jmh" && mvn -B -q -Dmaven.repo.local="$REPO" package)

mkdir -p "$ROOT/bench/results"
STAMP="$(date -u +%Y-%m-%dT%H-%M-%SZ)"
RAW="$ROOT/bench/results/jmh-$STAMP.json"
java -jar "$ROOT/bench/jmh/target/benchmarks.jar" "${JMH_ARGS[@]}" -rf json -rff "$RAW" \
  | tee "$ROOT/bench/results/jmh-$STAMP.txt"

python3 "$ROOT/bench/jmh_report.py" "$RAW" "$ROOT/BENCHMARKS.md" \
  "bench/jmh.sh${*:+ $*}" "${JMH_ARGS[*]}"
echo "bench: results in bench/results/jmh-$STAMP.{json,txt} and BENCHMARKS.md"
