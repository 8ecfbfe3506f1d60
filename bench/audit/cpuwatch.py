"""Who used the CPU during a timed round (bench/audit/run): samples /proc twice, 1 s after the
round starts and 1 s before it ends, while wrk is still running, and prints one JSON line.

    python3 cpuwatch.py SECONDS SERVER_PID [POSTMASTER_PID]

Figures are percent of one core over the window (the machine has 2 cores: 200 = all of it):
the eyeson server, wrk, our PostgreSQL (the postmaster and its children; another cluster is
"other"), everything else (with the busiest other commands named; children that ended inside the window count through their parent), and the whole machine
from /proc/stat. Processes that start or end inside the window
count from their first or up to their last sample only.
"""
import json
import os
import sys
import time

seconds, server = float(sys.argv[1]), int(sys.argv[2])
postmaster = int(sys.argv[3]) if len(sys.argv) > 3 else 0
tick = os.sysconf("SC_CLK_TCK")


def machine():
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]   # everything but idle and iowait


def processes():
    seen = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = open(f"/proc/{pid}/stat").read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        rest = stat[stat.rindex(")") + 2:].split()
        # utime + stime; the start time tells a reused pid apart (a kernel worker's name changes)
        seen[int(pid)] = (comm, int(rest[1]), int(rest[11]) + int(rest[12]), rest[19], int(rest[13]) + int(rest[14]))
    return seen


time.sleep(1)
m0, p0, t0 = machine(), processes(), time.monotonic()
time.sleep(max(seconds - 2, 1))
m1, p1, t1 = machine(), processes(), time.monotonic()
window = t1 - t0
groups = {"eyeson": 0, "wrk": 0, "postgres": 0, "other": 0}
others = {}
for pid, (comm, parent, ticks, started, waited) in p1.items():
    before = p0.get(pid) if pid in p0 and p0[pid][3] == started else None
    used = ticks - (before[2] if before else 0)
    if pid == os.getpid():
        continue
    if pid == server:
        groups["eyeson"] += used
    elif comm == "wrk":
        groups["wrk"] += used
    elif postmaster and postmaster in (pid, parent):
        groups["postgres"] += used
    else:
        # Another process's children that ended inside the window (a test suite's short-lived
        # commands) show only in its waited-for children's time.
        # (less what those children had used before the window, when they were seen in it).
        ended = sum(q[2] for qpid, q in p0.items() if q[1] == pid and (qpid not in p1 or p1[qpid][3] != q[3]))
        used += waited - (before[4] if before else 0) - (ended if before else 0)
        if used <= 0:
            continue
        groups["other"] += used
        name = comm.split("/")[0] if comm.startswith("kworker") else comm
        others[name] = others.get(name, 0) + used
# Never more than the machine's busy time less ours (a child's time before the window can slip in).
groups["other"] = min(groups["other"], max(m1 - m0 - groups["eyeson"] - groups["wrk"] - groups["postgres"], 0))
pct = lambda ticks: round(ticks / tick / window * 100, 1)
top = sorted(others.items(), key=lambda kv: -kv[1])[:3]
print(json.dumps({"window_s": round(window, 1), "machine_pct": pct(m1 - m0), **{k + "_pct": pct(v) for k, v in groups.items()},
                  "other_top": ", ".join(f"{c} {pct(v)}" for c, v in top if pct(v) >= 1)}))
