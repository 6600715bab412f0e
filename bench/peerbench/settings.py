"""Where things are and what is measured: every path, load shape, timeout and label of the peers
benchmark, in one place so that the report can quote exactly what the runs used."""
import os
import shutil

from benchlib import ROOT

BENCH = os.path.join(ROOT, "bench")
RESULTS = os.path.join(BENCH, "results")
SERVER_JS = os.path.join(BENCH, "peers", "server.js")
BFF_JS = os.path.join(BENCH, "peers", "bff.js")
CLUSTER_JS = os.path.join(BENCH, "peers", "cluster.js")
STATUS_LUA = os.path.join(BENCH, "peers", "status.lua")   # wrk script: answers counted by status
PM2 = os.path.join(BENCH, ".tools", "node_modules", ".bin", "pm2")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"               # Debian's nginx (bench/peers.sh installs it)
SECTION = "peers"                                          # <!-- peers:start --> ... <!-- peers:end -->
HEADING = "Against the peers: Node cluster and pm2"

# The scenarios in the order they run, by number and by the name --only also accepts.
SCENARIOS = {"1": "throughput", "2": "blocking", "3": "kill", "4": "reload", "5": "start", "6": "bff"}

# --- what is measured -----------------------------------------------------------------------
WORKERS = 2                          # workers per system
DEFAULT_ROUNDS = 3
DEFAULT_DURATION = "10s"             # one wrk run of scenarios 1, 2 and 6
QUICK_DURATION = "3s"                # --quick: 1 round of 3 s runs, for development
# Warm-up before scenarios 1 and 6, per system: wrk runs of WARMUP_STEP until two runs in a row gain
# less than WARMUP_GAIN req/s over the one before (the JVMs' JITs need tens of seconds, Node a moment).
WARMUP_STEP, WARMUP_MAX_RUNS = "5s", 12
QUICK_WARMUP_STEP, QUICK_WARMUP_MAX_RUNS = "2s", 3
WARMUP_GAIN = 0.10
WRK_THREADS = 2
THROUGHPUT_CONNECTIONS = 64          # scenario 1
BLOCKING_CONNECTIONS = 8             # scenario 2: the /health load
LOAD_CONNECTIONS = 16                # scenarios 3 and 4: the "moderate load"
OVERSEER_TRIVIAL = "/compute?n=1"    # routed through a worker: Overseer's equivalent of a Node app's "/"
PEER_TRIVIAL = "/"
HEALTH = "/health"
BLOCKING_N = 3_000_000_000           # seconds of blocking work on either runtime
BLOCKING_IN_FLIGHT = WORKERS         # long computations kept in flight: one per worker
BLOCKING_LEAD = 0.5                  # s between starting the computations and starting wrk
BLOCKING_WRK_TIMEOUT = "60s"         # wrk's default 2 s timeout would hide the very waits we measure
COMPUTE_HTTP_TIMEOUT = 300           # s, one long computation request
LOAD_LEAD = 2.0                      # s of load before the kill / the reload
LOAD_SETTLE = 2.0                    # s of load after the replacement serves / the reload returns
WRK_MAX = "300s"                     # bound of the wrk runs ended by SIGINT (scenarios 3 and 4)
RECOVERY_TIMEOUT = 120               # s, kill -9 -> replacement serving
POLL = 0.005                         # s between recovery polls
KILL_PROBE_EVERY = 0.005             # s between probes of a peer after the kill (each its own thread)
KILL_PROBE_TIMEOUT = 5.0             # s after which a probe counts as hung (a leaked connection)
KILL_PROBES_IN_FLIGHT = 100          # bound on probe threads at once
PROBE_TIMEOUT = 1.0                  # s, one probe request
START_TIMEOUT = 120                  # s, a system's start-up
STOP_TIMEOUT = 30                    # s, a system's orderly stop before SIGKILL
RELOAD_TIMEOUT = 300                 # s, one reload
IDLE_SETTLE = 3.0                    # s idle after start-up before RSS is read
LOAD_NOTE_ABOVE = 1.0                # 1-minute load average that earns a note in the section
CPU_SAMPLE = 0.5                     # s of /proc/stat sampled before each run: CPU busy while we idle

# Scenario 6: one BFF route with two upstream calls, all three systems calling ONE demo backend.
BFF_PATH = "/api/bench/1"            # product 1 + inventory 1, repaired (conf/transforms/product.jslt)
BFF_CONNECTIONS = 32                 # as bench/bff.py
BFF_ANSWER_TIMEOUT = 10              # s, the one request per system that checks the answers agree
# The demo backend turns TCP_NODELAY on itself (DemoBackend.start): without it each answer waited
# ~40 ms for the client's delayed ACK, and every system would measure that stall.
BACKEND_JVM_OPTIONS = ("-Xmx128m",)

# nginx in front of two single Node processes (scenario 1 only: the peer of the routed hop, issue 15).
NGINX_WORKERS = WORKERS              # nginx worker processes: one per core here, as `auto` would
NGINX_KEEPALIVE = 64                 # idle keep-alive connections per nginx worker to its upstreams

SYSTEMS = ("overseer", "cluster", "pm2")
# Scenario 1 also measures Overseer's edge-local /health on the same instance (the hop's ceiling).
THROUGHPUT_SYSTEMS = ("overseer", "overseer-health", "nginx", "cluster", "pm2")
LABELS = {"overseer": "Overseer (master + 2 worker JVMs)",
          "overseer-health": "Overseer's edge-local `/health` (same master, no worker hop)",
          "nginx": "nginx (`least_conn`, keep-alive upstreams, `proxy_next_upstream`) → 2 single Node processes",
          "overseer-spare": "Overseer, `spares = 1`",
          "cluster": "Node `cluster` (2 workers)", "pm2": "`pm2 start -i 2`",
          "pm2-graceful": "`pm2 start -i 2`, app drains itself on SIGINT",
          "backend": "the demo backend directly (`/products/1`, `/inventory/1` alternately)"}
