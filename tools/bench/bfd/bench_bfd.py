#!/usr/bin/python3
"""bench_bfd: Waypoint's bfdd against FRR's bfdd, in network namespaces.

Two measurements, each run once with two Waypoint nodes and once with two
FRR nodes on the same kind of topology (a veth pair, r1 eth1 -- r2 eth1):

detect
    One single-hop IPv4 session at INTERVAL ms x 3 (no echo).  CUTS
    times: both sides Up, then ``ip link set eth1 down`` on r1; the
    detection time of each side is the time of its recorded Down
    transition (bfdd's state history; FRR's log at microsecond precision)
    minus the time just before the cut.  Median, minimum and maximum.

scale
    SESSIONS single-hop IPv4 sessions at 50 ms x 3 between the two
    namespaces (one address pair per session on the link).  Once all are
    Up: CPU time of each bfdd over SECONDS (utime + stime from /proc) as a
    share of one CPU, resident memory, and how many sessions went down in
    that window (none should).  ``--wire`` also captures the window on
    the link (tcpdump) and reports the gaps between each session's
    packets as they were sent.

Run as root from the source tree, with bfdd and wpvty built (build/, or
WAYPOINT_BINDIR) and FRR installed::

    sudo /usr/bin/python3 tools/bench/bfd/bench_bfd.py
    sudo /usr/bin/python3 tools/bench/bfd/bench_bfd.py --part detect \\
        --intervals 10 --cuts 5 --impl waypoint

Figures and the command for the record go to doc/performance.md.  This is
a benchmark, not a test: it asserts nothing.
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "..")))

from lablib.harness import Lab, neigh_limits, wait_until  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- topologies ------------------------------------------------------------------

def _topology(d, impl, confs, execs):
    """Write a two-node lab in D; CONFS/EXECS: {node: text / [cmds]}."""
    name = "bench-%s" % impl[0]
    lines = ["name: %s" % name, "topology:", "  nodes:"]
    for node in ("r1", "r2"):
        os.makedirs(os.path.join(d, node), exist_ok=True)
        lines.append("    %s:" % node)
        lines.append("      kind: linux")
        if impl == "waypoint":
            conf = os.path.join(node, "waypoint.conf")
            lines.append("      image: waypoint/waypoint:latest")
            lines.append("      startup-config: %s" % conf)
        else:
            conf = os.path.join(node, "frr.conf")
            lines.append("      image: frrouting/frr:v8.4.1")
            lines.append("      binds:")
            lines.append("        - %s:/etc/frr/frr.conf" % conf)
        with open(os.path.join(d, conf), "w") as f:
            f.write(confs[node])
        if execs.get(node):
            lines.append("      exec:")
            lines += ["        - %s" % c for c in execs[node]]
    lines.append("  links:")
    lines.append('    - endpoints: ["r1:eth1", "r2:eth1"]')
    with open(os.path.join(d, "bench.clab.yml"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return d


def _conf(impl, node, peers, interval):
    """A bfd stanza: PEERS is [(peer, local or None)]."""
    out = []
    if impl == "frr":
        out += ["frr defaults traditional", "debug bfd peer", "!"]
    out += ["hostname %s" % node, "!", "bfd", " profile bench",
            "  detect-multiplier 3",
            "  receive-interval %d" % interval,
            "  transmit-interval %d" % interval, " exit"]
    for peer, local in peers:
        out.append(" peer %s%s interface eth1" % (
            peer, " local-address %s" % local if local else ""))
        out += ["  profile bench", " exit"]
    out += ["exit", ""]
    return "\n".join(out)


# --- reading state -----------------------------------------------------------------

def _frr_log_times(path):
    """[(epoch, peer, to-state)] from an FRR log with microseconds."""
    rx = re.compile(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)\.(\d+) .*"
                    r"state-change: \[mhop:\w+ peer:(\S+) .*\] \S+ -> (\S+)")
    out = []
    try:
        with open(path) as f:
            for line in f:
                m = rx.match(line)
                if m:
                    t = time.mktime(time.strptime(m.group(1),
                                                  "%Y/%m/%d %H:%M:%S"))
                    out.append((t + float("0." + m.group(2)), m.group(3),
                                m.group(4)))
    except OSError:
        pass
    return out


class Side:
    """One node's bfdd, Waypoint or FRR, behind one interface."""

    def __init__(self, lab, impl, node):
        self.lab, self.impl, self.node = lab, impl, node
        if impl == "frr":
            self.log = os.path.join(lab.frr_dir(node), "bench-ts.log")
            lab.frr_configure(node, "log timestamp precision 6",
                              "log file %s debugging" % self.log)

    def states(self):
        """{peer: 'up'|'down'|...}"""
        if self.impl == "waypoint":
            js = self.lab.wp_json(self.node, "show bfd peers brief",
                                  daemon="bfdd")
            return {p["peer"]: p["state"] for p in js["peers"]}
        return {p["peer"]: p["status"]
                for p in self.lab.frr_json(self.node, "show bfd peers")}

    def down_at(self, peer, t0):
        """Epoch time of PEER's first Down after T0, or None."""
        if self.impl == "waypoint":
            js = self.lab.wp_json(self.node, "show bfd peer %s" % peer,
                                  daemon="bfdd")
            hs = [h["timestamp"] for h in js["peers"][0]["history"]
                  if h["to"] == "down" and h["timestamp"] >= t0]
            return min(hs) if hs else None
        ts = [t for t, p, to in _frr_log_times(self.log)
              if p == peer and to == "down" and t >= t0 - 0.01]
        return min(ts) if ts else None

    def downs(self):
        """Sessions gone down since start (Waypoint counters, FRR's)."""
        if self.impl == "waypoint":
            return self.lab.wp_json(self.node, "show bfd counters",
                                    daemon="bfdd")["downCount"]
        js = self.lab.frr_json(self.node, "show bfd peers counters")
        return sum(p["session-down"] for p in js)

    def pid(self):
        if self.impl == "waypoint":
            return self.lab.wp_pid(self.node, "bfdd")
        st = self.lab._node_state(self.node, "frr")
        return [d["pid"] for d in st["daemons"] if d["name"] == "bfdd"][0]

    def cpu_ticks(self):
        with open("/proc/%d/stat" % self.pid()) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])    # utime + stime

    def rss_kib(self):
        with open("/proc/%d/status" % self.pid()) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


# --- the two measurements ------------------------------------------------------------

def bench_detect(impl, interval, cuts, tmp):
    confs = {"r1": _conf(impl, "r1", [("10.0.12.2", None)], interval),
             "r2": _conf(impl, "r2", [("10.0.12.1", None)], interval)}
    if impl == "waypoint":
        confs["r1"] += "interface eth1\n ip address 10.0.12.1/24\n"
        confs["r2"] += "interface eth1\n ip address 10.0.12.2/24\n"
    else:
        confs["r1"] += "interface eth1\n ip address 10.0.12.1/24\nexit\n"
        confs["r2"] += "interface eth1\n ip address 10.0.12.2/24\nexit\n"
    d = _topology(os.path.join(tmp, "detect-%s-%d" % (impl, interval)),
                  impl, confs, {})
    lab = Lab(d, timeout=90)
    lab.up()
    res = {"r1": [], "r2": []}
    try:
        sides = {"r1": Side(lab, impl, "r1"), "r2": Side(lab, impl, "r2")}
        peer = {"r1": "10.0.12.2", "r2": "10.0.12.1"}
        for _ in range(cuts):
            wait_until(lambda: all(s.states().get(peer[n]) == "up"
                                   for n, s in sides.items()),
                       timeout=30, what="sessions up")
            time.sleep(0.5)     # settle: not a measurement
            t0 = time.time()
            lab.exec("r1", ["ip", "link", "set", "eth1", "down"])
            try:
                for n, s in sides.items():
                    t = wait_until(lambda: s.down_at(peer[n], t0),
                                   timeout=10, interval=0.05,
                                   what="%s detects" % n)
                    res[n].append(t - t0)
            finally:
                lab.exec("r1", ["ip", "link", "set", "eth1", "up"])
    finally:
        lab.down()
    return res


def _scale_addrs(n):
    """n address pairs in 10.64.0.0/16, r1's then r2's."""
    a = ["10.64.%d.%d" % (i // 200, i % 200 + 1) for i in range(n)]
    b = ["10.64.%d.%d" % (100 + i // 200, i % 200 + 1) for i in range(n)]
    return a, b


KEEP = False    # --keep: leave a failed lab up for a look
DUMP = None     # --dump FILE: what the sessions that went down saw
RT = 0          # --rt N: both daemons SCHED_RR priority N
WIRE = False    # --wire: capture the window on r2's eth1, report gaps


def _wire_start(lab, path):
    """tcpdump on r2's eth1, which carries both directions of every
    session; returns once it is capturing."""
    p = subprocess.Popen(["ip", "netns", "exec", lab.netns("r2"), "tcpdump",
                          "-i", "eth1", "-s", "80", "-B", "131072", "-w",
                          path, "udp", "dst", "port", "3784"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    line = p.stderr.readline()
    if "listening" not in line:
        p.kill()
        raise RuntimeError("tcpdump: %s" % line.strip())
    return p


def _wire_stop(p):
    """Stop the capture; the kernel's drop count (must be 0)."""
    p.send_signal(signal.SIGINT)
    err = p.communicate(timeout=60)[1]
    m = re.search(r"(\d+) packets dropped by kernel", err)
    return int(m.group(1)) if m else -1


def _wire_gaps(path, interval_ms):
    """Gaps between consecutive periodic packets (state Up, neither Poll
    nor Final) of each session and direction, from a pcap file.  Sent
    every interval less up to 25 % jitter (RFC 5880 §6.8.7), a gap over
    1.5 intervals means a packet was not sent (or very late), one of 3
    intervals is a Detection Time.  Per direction: packets, max gap,
    gaps over 1.5 and over 3 intervals."""
    last = {}
    out = {"r1->r2": [0, 0.0, 0, 0], "r2->r1": [0, 0.0, 0, 0]}
    with open(path, "rb") as f:
        gh = f.read(24)
        nano = struct.unpack("<I", gh[:4])[0] == 0xa1b23c4d
        while True:
            h = f.read(16)
            if len(h) < 16:
                break
            sec, frac, incl, _ = struct.unpack("<IIII", h)
            data = f.read(incl)
            ts = sec + frac / (1e9 if nano else 1e6)
            ip = data[14:]
            ihl = (ip[0] & 15) * 4
            if len(ip) < ihl + 10:
                continue
            key = ip[12:20]
            d = out["r2->r1" if ip[14] >= 100 else "r1->r2"]
            d[0] += 1
            sf = ip[ihl + 9]
            periodic = sf >> 6 == 3 and not sf & 0x30
            if periodic and key in last:
                gap = (ts - last[key]) * 1e3
                d[1] = max(d[1], gap)
                d[2] += gap > 1.5 * interval_ms
                d[3] += gap > 3 * interval_ms
            if periodic:
                last[key] = ts
            else:
                last.pop(key, None)     # out of turn: start again
    return out


def _dump_flapped(lab, sessions, seconds):
    """Write, for each Waypoint session that went down during the run,
    its state history and packet inter-arrival figures to DUMP (JSON),
    with a summary of the down transitions' diagnostics on stdout."""
    out = {}
    diags = {}
    for node in ("r1", "r2"):
        js = lab.wp_json(node, "show bfd peers", daemon="bfdd")
        bad = [p for p in js["peers"]
               if any(h["to"] == "down" and h["from"] == "up"
                      for h in p.get("history", []))]
        out[node] = bad
        for p in bad:
            for h in p["history"]:
                if h["to"] == "down" and h["from"] == "up":
                    k = "%s %s/%s" % (node, h["diagnostic"],
                                      h["remoteDiagnostic"])
                    diags[k] = diags.get(k, 0) + 1
    for node in ("r1", "r2"):
        out[node + "-nstat"] = lab.exec(node, ["nstat", "-az", "--json"])
        q = lab.wp_json(node, "show bfd counters",
                        daemon="bfdd")["rxQueueDelay"]
        print("  %s rx queue delay avg %d us max %d us, %d of %d over 10 ms"
              % (node, q["avgUs"], q["maxUs"], q["over10ms"], q["samples"]))
        loop = lab.wp_json(node, "show event-loop", daemon="bfdd")
        out[node + "-loop"] = loop
        for cb in loop["callbacks"]:
            if cb.get("lateMaxUs"):
                print("  %s %-24s late avg %6d us max %7d us, %d over 10 ms"
                      " of %d" % (node, cb["name"], cb["lateAvgUs"],
                                  cb["lateMaxUs"], cb["lateOver10ms"],
                                  cb["calls"]))
    for path in ("/proc/net/softnet_stat", "/proc/net/stat/arp_cache"):
        with open(path) as f:
            out[path] = f.read()
    with open(DUMP, "w") as f:
        json.dump(out, f, indent=1)
    for k, v in sorted(diags.items()):
        print("  down %-50s %d" % (k, v))


def bench_scale(impl, sessions, seconds, tmp):
    a, b = _scale_addrs(sessions)
    confs = {"r1": _conf(impl, "r1", list(zip(b, a)), 50),
             "r2": _conf(impl, "r2", list(zip(a, b)), 50)}
    d = os.path.join(tmp, "scale-%s" % impl)
    os.makedirs(d, exist_ok=True)
    execs = {}
    for node, addrs in (("r1", a), ("r2", b)):
        batch = os.path.join(d, "%s.addrs" % node)
        with open(batch, "w") as f:
            for x in addrs:
                f.write("addr add %s/16 dev eth1\n" % x)
        execs[node] = ["ip -batch %s" % batch]
    _topology(d, impl, confs, execs)
    lab = Lab(d, timeout=180)
    t_up = time.monotonic()
    lab.up()
    try:
        sides = [Side(lab, impl, "r1"), Side(lab, impl, "r2")]
        if RT:
            for s in sides:
                subprocess.run(["chrt", "-r", "-p", str(RT), str(s.pid())],
                               check=True)

        def all_up():
            return all(list(s.states().values()).count("up") == sessions
                       for s in sides)
        wait_until(all_up, timeout=180, interval=1.0,
                   what="%d sessions up" % sessions)
        up_after = time.monotonic() - t_up
        time.sleep(5)           # past the poll sequences
        cap = None
        if WIRE:
            pcap = os.path.join(d, "window.pcap")
            cap = _wire_start(lab, pcap)
        downs0 = [s.downs() for s in sides]
        cpu0 = [s.cpu_ticks() for s in sides]
        t0 = time.monotonic()
        time.sleep(seconds)
        el = time.monotonic() - t0
        cpu = [(s.cpu_ticks() - c) / CLK_TCK / el * 100
               for s, c in zip(sides, cpu0)]
        downs = [s.downs() - d0 for s, d0 in zip(sides, downs0)]
        rss = [s.rss_kib() for s in sides]
        if cap:
            lost = _wire_stop(cap)
            for k, (n, mx, over15, over3) in sorted(
                    _wire_gaps(pcap, 50).items()):
                print("  %s wire %s: %d packets, max gap %.1f ms, %d gaps "
                      "over 75 ms, %d over 150 ms%s"
                      % (impl, k, n, mx, over15, over3,
                         "" if lost == 0 else
                         " (capture lost %d packets)" % lost))
            os.unlink(pcap)
        if DUMP and impl == "waypoint":
            _dump_flapped(lab, sessions, seconds)
    except Exception:
        if KEEP:
            print("lab %s left up (--keep)" % lab.name)
            raise
        lab.down()
        raise
    lab.down()
    return {"cpu": cpu, "downs": downs, "rss": rss, "up_after": up_after}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", default="detect,scale")
    ap.add_argument("--impl", default="waypoint,frr")
    ap.add_argument("--intervals", default="10,50")
    ap.add_argument("--cuts", type=int, default=20)
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--keep", action="store_true",
                    help="leave a lab that failed up, to look at it")
    ap.add_argument("--dump", metavar="FILE",
                    help="scale part: write the history and packet "
                    "timing of every Waypoint session that went down")
    ap.add_argument("--wire", action="store_true",
                    help="scale part: capture the window on the link "
                    "(tcpdump) and report the gaps between each "
                    "session's packets as sent")
    ap.add_argument("--rt", type=int, default=0, metavar="PRIO",
                    help="scale part: run both sides' bfdd SCHED_RR at "
                    "PRIO (chrt), for runs on a machine with other load")
    args = ap.parse_args()
    global KEEP, DUMP, RT, WIRE
    RT = args.rt
    WIRE = args.wire
    if WIRE and not shutil.which("tcpdump"):
        sys.exit("bench_bfd: --wire needs tcpdump (tools/bootstrap)")
    KEEP = args.keep
    DUMP = args.dump
    if os.geteuid() != 0:
        sys.exit("bench_bfd: needs root (network namespaces)")
    tmp = tempfile.mkdtemp(prefix="bench_bfd.")
    # Both contenders under the same scheduler: labctl would start
    # Waypoint's bfdd with --realtime; --rt applies chrt to both.
    os.environ["LABCTL_BFD_REALTIME"] = "0"
    impls = args.impl.split(",")
    # The ARP table's limits are one for all namespaces (gc_thresh3
    # 1,024 by default): a thousand sessions a side need two thousand
    # neighbours, or half the sessions never see a packet.  Raised for
    # the run, put back after.
    limits = neigh_limits(4 * args.sessions + 1024)
    limits.__enter__()
    try:
        if "detect" in args.part:
            print("detection time after a link cut, %d cuts (ms)"
                  % args.cuts)
            print("%-10s %-9s %-5s %8s %8s %8s" % ("impl", "interval",
                                                  "side", "median",
                                                  "min", "max"))
            for iv in [int(x) for x in args.intervals.split(",")]:
                for impl in impls:
                    res = bench_detect(impl, iv, args.cuts, tmp)
                    for side, v in res.items():
                        print("%-10s %-9s %-5s %8.1f %8.1f %8.1f"
                              % (impl, "%dx3" % iv, side,
                                 statistics.median(v) * 1e3, min(v) * 1e3,
                                 max(v) * 1e3), flush=True)
        if "scale" in args.part:
            print("\n%d sessions at 50 ms x 3, %d s (CPU: %% of one core)"
                  % (args.sessions, args.seconds))
            print("%-10s %10s %10s %8s %8s %10s %10s" % (
                "impl", "cpu r1", "cpu r2", "downs", "up (s)", "rss r1",
                "rss r2"))
            for impl in impls:
                r = bench_scale(impl, args.sessions, args.seconds, tmp)
                print("%-10s %9.1f%% %9.1f%% %8d %8.1f %8d KiB %6d KiB"
                      % (impl, r["cpu"][0], r["cpu"][1], sum(r["downs"]),
                         r["up_after"], r["rss"][0], r["rss"][1]),
                      flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        limits.__exit__(None, None, None)



if __name__ == "__main__":
    main()
