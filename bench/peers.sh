#!/usr/bin/env bash
# Overseer against Node's cluster and pm2, side by side in one run (issue 6).
#   bench/peers.sh [--rounds 3] [--duration 10s] [--quick] [--no-write] [--only LIST]
#     --rounds N     rounds of every scenario (default 3); medians over them
#     --duration D   one timed wrk run (default 10s)
#     --quick        1 round of 3 s runs, short warm-ups: for development
#     --no-write     leave BENCHMARKS.md alone (results still go to bench/results/)
#     --only LIST    scenarios by number or name, comma-separated: 1 throughput, 2 blocking, 3 kill,
#                    4 reload, 5 start, 6 bff (e.g. --only 6, --only bff,throughput); never writes BENCHMARKS.md
# Installs what it needs (wrk and nginx from Debian's packages, pm2 from npm into bench/.tools), builds the
# jars if they are missing, then runs bench/peers.py. Writes only under bench/ and the temp dir
# (plus the "peers" section of BENCHMARKS.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PM2_VERSION="${PM2_VERSION:-latest}"   # the npm tag or version of pm2 to install into bench/.tools

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench/peers: installing wrk" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -q wrk >&2 || { $SUDO apt-get update -q >&2 && $SUDO apt-get install -y -q wrk >&2; }
fi
if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
  echo "bench/peers: installing nginx" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -q nginx >&2 || { $SUDO apt-get update -q >&2 && $SUDO apt-get install -y -q nginx >&2; }
fi
command -v node >/dev/null 2>&1 || { echo "bench/peers: node (20+) is required" >&2; exit 1; }
if [[ ! -x "$ROOT/bench/.tools/node_modules/.bin/pm2" ]]; then
  echo "bench/peers: installing pm2@$PM2_VERSION into bench/.tools" >&2
  npm install --prefix "$ROOT/bench/.tools" --no-audit --no-fund "pm2@$PM2_VERSION" >&2
fi
if [[ ! -f "$ROOT/master/target/overseer-master.jar" || ! -f "$ROOT/worker/target/overseer-worker.jar" ]]; then
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

cd "$ROOT"
exec python3 bench/peers.py --command "bench/peers.sh${*:+ $*}" "$@"
