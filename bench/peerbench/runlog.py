"""The run's record: every line printed also goes to the raw output file, and the machine's load is
noted before every scenario and run (the machine may be shared; the report says so when it was)."""
import time

from .settings import CPU_SAMPLE

RAW = None          # the raw output file, while a run has it open (open_raw / close_raw)
LOADS = []          # (where, 1-minute load average, CPU busy %) before every scenario and run


def open_raw(path):
    global RAW
    RAW = open(path, "w")


def close_raw():
    global RAW
    if RAW:
        RAW.close()
        RAW = None


def log(*parts):
    """Print to the console and to the raw output file."""
    line = " ".join(str(p) for p in parts)
    print(line, flush=True)
    if RAW:
        RAW.write(line + "\n")
        RAW.flush()


def cpu_times():
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]          # idle + iowait
    return sum(values), idle


def note_load(where):
    """The machine may be shared: record the load average before every scenario and run, and the
    share of CPU busy over a short sample while no load is applied (the load average of this VM
    also counts our own previous run for a minute or more, the sample does not)."""
    with open("/proc/loadavg") as f:
        fields = f.read().split()
    total0, idle0 = cpu_times()
    time.sleep(CPU_SAMPLE)
    total1, idle1 = cpu_times()
    busy = 100.0 * (1 - (idle1 - idle0) / max(1, total1 - total0))
    LOADS.append((where, float(fields[0]), busy))
    log(f"-- load average before {where}: {' '.join(fields[:3])}; CPU busy {busy:.0f}% over {CPU_SAMPLE:g} s")
