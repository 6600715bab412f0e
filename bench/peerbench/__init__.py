"""The harness behind bench/peers.py (Overseer against Node cluster and pm2), one concern a module:

settings   paths, load shapes, timeouts and labels: what is measured
runlog     the console + raw-file log and the load notes taken before every run
load       wrk (timed or for as long as an action takes), probes, the blocking computations
systems    Overseer, Node cluster, pm2 and the demo backend: started and stopped by pid
scenarios  scenarios 1-6, each over rotating rounds
report     the "peers" section of BENCHMARKS.md

It imports bench/benchlib.py and bench/supervision.py, so bench/ must be on sys.path (peers.py does it).
"""
