#!/usr/bin/env bash
# The worker's boot alone per JDK choice (issue 15, the JDK 25 AOT cache), by hand: runs the worker's
# CdsTraining (actor system, cluster join, the CBOR serializer, then exit) on plain 17, 17 + the CDS
# archive, plain 25 and 25 + the AOT cache, rounds alternating; prints wall ms, CPU (user, sys, s)
# and max RSS (KiB) per run. Needs the jars and caches built (mvn -B -q package -DskipTests with a
# JDK 25 found) and GNU time. usage: bench/workerboot.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W="$PWD/worker/target/overseer-worker.jar" # absolute, as the caches were trained
J17=java
J25="$(<worker/target/overseer-worker.aot.jdk)/bin/java"
MAP=(-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0)
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for r in $(seq "${1:-5}"); do
  for k in 17plain 17cds 25plain 25aot; do
    case $k in
      17plain) cmd=("$J17" -Xshare:auto) ;;
      17cds) cmd=("$J17" -XX:SharedArchiveFile=worker/target/overseer-worker.jsa -Xlog:cds=off "${MAP[@]}") ;;
      25plain) cmd=("$J25" --sun-misc-unsafe-memory-access=allow) ;;
      25aot) cmd=("$J25" --sun-misc-unsafe-memory-access=allow -XX:AOTCache=worker/target/overseer-worker.aot
                  -Xlog:aot=off -Xlog:cds=off "${MAP[@]}") ;;
    esac
    s=$(date +%s%N)
    /usr/bin/time -f "%U %S %M" -o "$out" "${cmd[@]}" -cp "$W" io.overseer.worker.CdsTraining >/dev/null 2>&1
    e=$(date +%s%N)
    echo "$k round $r: $(((e - s) / 1000000)) ms; cpu user sys, max RSS KiB: $(<"$out"); load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
