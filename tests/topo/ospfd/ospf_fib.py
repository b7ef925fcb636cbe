"""Kernel FIB helpers shared by the ospfd topology tests: what a node's
kernel forwards with for a prefix, what ospfd says ribd did with its
routes, and ``ip monitor route`` around a disruption."""

import os
import signal
import subprocess
import time

from lablib import state as stm
from lablib.harness import wait_until


def fib_nexthops(lab, node, prefix, protocol="ospf"):
    """{(gateway, dev)} of NODE's kernel route for PREFIX from PROTOCOL,
    or None if there is none (ECMP routes give one pair per path)."""
    r = lab.route(node, prefix)
    if r is None or (protocol and r.get("protocol") != protocol):
        return None
    if r.get("nexthops"):
        return {(n.get("gateway"), n.get("dev")) for n in r["nexthops"]}
    return {(r.get("gateway"), r.get("dev"))}


def wait_fib(lab, node, prefix, nexthops, protocol="ospf", timeout=20):
    """Wait until NODE's kernel forwards PREFIX to exactly NEXTHOPS
    ({(gateway, dev)}), installed by PROTOCOL."""
    wait_until(lambda: fib_nexthops(lab, node, prefix, protocol) ==
               set(nexthops), timeout=timeout,
               what="%s: kernel route %s via %s (%s)"
               % (node, prefix, sorted(nexthops), protocol))


def wait_no_fib(lab, node, prefix, timeout=20):
    wait_until(lambda: lab.route(node, prefix) is None, timeout=timeout,
               what="%s: no kernel route for %s" % (node, prefix))


def ospf_routes(lab, node):
    return {r["prefix"]: r for r in lab.wp_json(
        node, "show ip ospf route", daemon="ospfd")["routes"]}


def rib_session(lab, node):
    """ospfd's session with ribd (`show ip ospf json` "rib")."""
    return lab.wp_json(node, "show ip ospf", daemon="ospfd").get("rib", {})


def rib_settled(lab, node):
    """ospfd is connected to ribd, its initial table is complete, and
    every route it sent has an answer."""
    s = rib_session(lab, node)
    return bool(s.get("connected") and s.get("initialSyncDone") and
                s.get("idle"))


def daemon_record(lab, node, name):
    st = stm.load(lab.name)
    return [d for d in st["nodes"][node]["daemons"] if d["name"] == name][0]


def kill9(lab, node, name):
    """SIGKILL a Waypoint daemon of NODE and wait until it is gone."""
    pid = lab.wp_pid(node, name)
    os.kill(pid, signal.SIGKILL)

    def gone():
        try:
            with open("/proc/%d/stat" % pid) as f:
                return f.read().split()[2] == "Z"
        except OSError:
            return True
    wait_until(gone, timeout=10, what="%s %s exits" % (node, name))


def restart(lab, node, name):
    """Start a daemon of NODE again with the command line the lab used."""
    rec = daemon_record(lab, node, name)
    subprocess.run(["ip", "netns", "exec", lab.netns(node)] +
                   list(rec["cmd"]), check=True, timeout=30,
                   capture_output=True)


class RouteMonitor:
    """``ip monitor route`` in NODE, bracketed by marker routes so that
    every event between start() and stop() is known to have been read."""

    def __init__(self, lab, node):
        self.lab = lab
        self.node = node
        self.proc = None
        self.lines = []

    def _marker(self, n):
        dst = "192.0.2.%d/32" % n
        self.lab.exec(self.node, "ip route add %s dev lo" % dst)
        self.lab.exec(self.node, "ip route del %s dev lo" % dst)
        return "192.0.2.%d" % n

    def _read_until(self, needle, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line.rstrip("\n"))
            if needle in line and line.startswith("Deleted"):
                return
        raise AssertionError("ip monitor did not show %s" % needle)

    def start(self):
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.lab.netns(self.node), "ip",
             "monitor", "route"], stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        for n in range(100, 200):
            m = self._marker(n)
            try:
                self._read_until(m, timeout=0.5)
                break
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
        self.lines = []

    def stop(self):
        """Stop; the route events seen since start(), markers left out."""
        m = self._marker(250)
        try:
            self._read_until(m)
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=5)
        return [ln for ln in self.lines if "192.0.2." not in ln]

    def touched(self, prefixes):
        """Events (after stop()) about any of PREFIXES (``10.0.0.1/32``
        is printed ``10.0.0.1``)."""
        keys = {p[:-3] if p.endswith("/32") else p for p in prefixes}
        out = []
        for ln in self.lines:
            w = ln.split()
            if w and w[0] in ("Deleted", "Replaced"):
                w = w[1:]
            if w and w[0] in keys:
                out.append(ln)
        return out
