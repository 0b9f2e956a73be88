#!/usr/bin/python3
"""One wrk run, and what else the machine did meanwhile.

    wrk_run.py [-s SCRIPT] URL SECONDS CONNECTIONS COOKIE PID...

Runs wrk (2 threads, --latency) against URL with the cookie (none when
COOKIE is empty) and the wrk Lua SCRIPT if given, and prints
one JSON line: requests/s, MB/s, p50 and p99 in ms, errors (socket errors
and answers that are not 2xx/3xx), `cpu`: the CPU time per request (µs)
of each PID's process tree, in the order given, and `other`: how many cores processes
other than ours used during the run, from /proc/stat (user + nice +
system, plus steal) minus the CPU time of the servers' process trees
(each PID and its descendants) and of wrk.  irq and softirq time is left
out on both sides: on loopback it is our own traffic.
"""
import json
import os
import re
import resource
import subprocess
import sys

TICK = os.sysconf("SC_CLK_TCK")


def machine():
    with open("/proc/stat") as f:
        v = list(map(int, f.readline().split()[1:]))
    user, nice, system, steal = v[0], v[1], v[2], v[7]
    return user + nice + system, steal


def tree(roots):
    """utime + stime (ticks) of each root and all its descendants."""
    parent, cpu = {}, {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                s = f.read()
        except OSError:
            continue
        rest = s[s.rindex(")") + 2:].split()
        parent[int(d)] = int(rest[1])
        cpu[int(d)] = int(rest[11]) + int(rest[12])
    total = {r: 0 for r in roots}
    for pid in cpu:
        p = pid
        while p and p not in total:
            p = parent.get(p, 0)
        if p:
            total[p] += cpu[pid]
    return total


def ms(t, p):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\b" % p, t, re.M)
    if not m:
        return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v


def main():
    args = sys.argv[1:]
    script = []
    if args[0] == "-s":
        script, args = ["-s", args[1]], args[2:]
    url, secs, conns, cookie = args[:4]
    roots = list(map(int, args[4:]))
    busy0, steal0 = machine()
    own0 = tree(roots)
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    header = ["-H", "Cookie: " + cookie] if cookie else []
    out = subprocess.run(["wrk", "-t2", "-c" + conns, "-d" + secs + "s", "--latency",
                          "--timeout", "10s"] + header + script + [url],
                         capture_output=True, text=True).stdout
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy1, steal1 = machine()
    own1 = tree(roots)
    wrk = (ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime) * TICK
    own = sum(own1.values()) - sum(own0.values())
    other = (busy1 - busy0 - own - wrk + (steal1 - steal0)) / TICK / float(secs)
    m = re.search(r"(\d+) requests in", out)
    n = int(m.group(1)) if m else 0
    cpu = [(own1[r] - own0[r]) / TICK * 1e6 / n if n else 0 for r in roots]
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    rps = float(m.group(1)) if m else 0.0
    m = re.search(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)", out)
    mbs = float(m.group(1)) * {"B": 1e-6, "KB": 1 / 1024, "MB": 1, "GB": 1024}[m.group(2)] if m else 0
    err = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        err += sum(map(int, m.groups()))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        err += int(m.group(1))
    print(json.dumps({"rps": rps, "mbs": mbs, "p50": ms(out, 50), "p99": ms(out, 99),
                      "errors": err, "other": max(0.0, other), "cpu": cpu, "raw": out}))


if __name__ == "__main__":
    main()
