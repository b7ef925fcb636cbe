"""``ip monitor route`` in a lab node around a disruption: which route
changes the kernel saw, so a test can assert that a restart changed
nothing (graceful restart) or removed exactly what it should.

    mon = RouteMonitor(lab, "r1")
    mon.start()
    ...                       # kill, restart, wait
    events = mon.stop()       # the lines ``ip monitor route`` printed
    assert mon.touched(["10.0.0.0/24"]) == []
"""

import subprocess
import time


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
