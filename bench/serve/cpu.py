#!/usr/bin/python3
"""CPU ticks for bench/serve.sh: `cpu.py PID` prints "TOTAL BUSY OURS".

TOTAL and BUSY are the machine's clock ticks from /proc/stat (BUSY = all but idle and iowait);
OURS is utime+stime+cutime+cstime summed over PID and all its descendants. Between two snapshots,
BUSY - OURS is what other programs on the machine used meanwhile: children that exited were reaped
into their parent's cutime/cstime, so the difference of OURS covers them too.
"""
import os
import sys

root = int(sys.argv[1])
with open("/proc/stat") as f:
    fields = [int(x) for x in f.readline().split()[1:]]
total = sum(fields[:8])
busy = total - fields[3] - fields[4]

parent, ticks = {}, {}
for name in os.listdir("/proc"):
    if not name.isdigit():
        continue
    try:
        with open(f"/proc/{name}/stat") as f:
            rest = f.read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    pid = int(name)
    parent[pid] = int(rest[1])
    ticks[pid] = sum(int(x) for x in rest[11:15])

children = {}
for pid, ppid in parent.items():
    children.setdefault(ppid, []).append(pid)
ours, todo = 0, [root]
while todo:
    pid = todo.pop()
    ours += ticks.get(pid, 0)
    todo.extend(children.get(pid, []))
print(total, busy, ours)
