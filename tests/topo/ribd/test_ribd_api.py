"""ribd's client API (ribd.sock) against the real kernel, r1 - r2.

tools/ribinject plays the protocol daemon: it installs generated routes
through r1's ribd with r2 as their nexthop.  The routes must reach r1's
kernel FIB with protocol bgp; a client that leaves and comes back within
its grace time and re-sends the same routes must not cause one route
change in the kernel (watched with ``ip monitor route``); a client killed
with SIGKILL keeps its routes until the grace time ends, then they are
swept; a malformed message closes only that client's connection.
"""

import json
import os
import signal
import socket
import struct
import subprocess
import time

import pytest

from lablib import roles
from lablib import state as stm
from lablib.harness import build_tool, module_lab, require_root, wait_until
from lablib.monitor import RouteMonitor

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "ribapi")

COUNT = 10000
PREFIX = "10.64.0.0/10"       # 10k /24s: 10.64.0.0/24 ... 10.103.15.0/24
NEXTHOP = "10.0.12.2"
MAIN = ["--count", str(COUNT), "--prefix", PREFIX, "--plen", "24",
        "--nexthop", NEXTHOP, "--source", "bgp", "--distance", "20",
        "--grace", "15"]


def ribinject_path():
    return build_tool("ribinject")


@pytest.fixture(scope="module")
def lab():
    require_root()
    find = roles.waypoint_bindir()
    if find is None or not find("ribd"):
        pytest.skip("ribd is not built")
    if ribinject_path() is None:
        pytest.skip("tools/ribinject is not built")
    yield from module_lab(TOPO)


def rundir(lab, node):
    return lab.state["nodes"][node]["sockets"]["dir"]


def inject(lab, *args, timeout=60):
    """Run ribinject in r1's namespace against its ribd; parsed JSON lines."""
    cmd = ["ip", "netns", "exec", lab.netns("r1"), ribinject_path(),
           "--rundir", rundir(lab, "r1"), "--json"] + list(args)
    cp = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert cp.returncode == 0, (cp.returncode, cp.stdout, cp.stderr)
    return [json.loads(line) for line in cp.stdout.splitlines()]


def bgp_routes(lab, within=None):
    """r1's kernel routes of protocol bgp whose first two octets are in
    WITHIN (a range), all of them if None."""
    out = []
    for r in lab.kernel_routes("r1"):
        if r.get("protocol") != "bgp":
            continue
        o = [int(x) for x in r["dst"].split("/")[0].split(".")[:2]]
        if within is None or (o[0] == 10 and o[1] in within):
            out.append(r)
    return out


MAIN_RANGE = range(64, 128)
KILL_RANGE = range(200, 201)


def ribd_log(lab, node):
    st = stm.load(lab.name)
    rec = [d for d in st["nodes"][node]["daemons"] if d["name"] == "ribd"][0]
    with open(rec["log"]) as f:
        return f.read()


def sessions(lab):
    return {s["session"]: s
            for s in lab.wp_json("r1", "show rib clients")["sessions"]}


def test_inject_10k_into_the_fib(lab):
    """10k routes through ribd.sock end in r1's kernel as proto bgp."""
    out = inject(lab, *MAIN)
    assert out[0]["installed"] == COUNT, out
    print("10k routes through ribd: %.3f s" % out[0]["seconds"])
    routes = bgp_routes(lab, MAIN_RANGE)
    assert len(routes) == COUNT
    assert all(r.get("gateway") == NEXTHOP and r.get("dev") == "eth1"
               for r in routes)
    # ribd's view: the session is held (graceful restart) after the exit.
    s = sessions(lab)["bgp/0"]
    assert s["routes"] == COUNT and s["gracefulRestart"]
    r = lab.wp_json("r1", "show ip route")["10.64.7.0/24"][0]
    assert r["protocol"] == "bgp" and r["installed"] and r["distance"] == 20


def test_reconnect_within_grace_changes_nothing(lab):
    """The client comes back within its grace time and re-sends the same
    routes: not one route changes in the kernel, none is left stale."""
    before = lab.wp_json("r1", "show rib statistics")
    mon = RouteMonitor(lab, "r1")
    mon.start()
    try:
        out = inject(lab, *MAIN)
    finally:
        changes = mon.stop()
    assert out[0]["staleAtConnect"] == COUNT
    assert out[0]["installed"] == COUNT
    assert changes == [], changes[:10]
    after = lab.wp_json("r1", "show rib statistics")
    assert after["installs"] == before["installs"]
    assert after["deletes"] == before["deletes"]
    assert len(bgp_routes(lab, MAIN_RANGE)) == COUNT
    s = sessions(lab)["bgp/0"]
    assert s["connects"] == 2 and s["routes"] == COUNT


def test_sigkill_routes_swept_after_grace(lab):
    """A client killed with SIGKILL: its routes stay for its grace time
    (3 s), then ribd removes them all."""
    cmd = ["ip", "netns", "exec", lab.netns("r1"), ribinject_path(),
           "--rundir", rundir(lab, "r1"), "--count", "1000",
           "--prefix", "10.200.0.0/16", "--nexthop", NEXTHOP,
           "--source", "bgp", "--instance", "1", "--grace", "3", "--hold"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("installed 1000 routes"), line
        assert len(bgp_routes(lab, KILL_RANGE)) == 1000
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=5)
        killed = time.monotonic()
        s = wait_until(lambda: not sessions(lab)["bgp/1"]["connected"] and
                       sessions(lab)["bgp/1"], timeout=5,
                       what="ribd sees the client gone")
        assert s["state"] == "stale" and s["staleRoutes"] == 1000
        # Kept in the kernel meanwhile.
        assert len(bgp_routes(lab, KILL_RANGE)) == 1000
        wait_until(lambda: not bgp_routes(lab, KILL_RANGE), timeout=15,
                   what="stale routes swept")
        assert time.monotonic() - killed >= 2.0
        assert "bgp/1" not in sessions(lab)
    finally:
        if proc.poll() is None:
            proc.kill()
    # The other client's routes were never touched.
    assert len(bgp_routes(lab, MAIN_RANGE)) == COUNT


def _frame(mtype, payload, seq):
    return struct.pack(">IHBBII", len(payload), mtype, 1, 0, seq, 0) + payload


def _ld(field, data):
    """A length-delimited protobuf field (lengths < 128 here)."""
    assert len(data) < 128
    return bytes([field << 3 | 2, len(data)]) + data


def _vi(field, value):
    assert value < 128
    return bytes([field << 3, value])


def test_malformed_message_closes_only_that_client(lab):
    """A ROUTE_ADD with a /33 closes that connection with a precise log
    line; ribd and its other routes carry on."""
    sock_path = os.path.join(rundir(lab, "r1"), "ribd.sock")
    hello = _vi(1, 4) + _vi(3, 7) + _ld(4, b"pytest")       # bgp, instance 7
    nh = _vi(1, 1) + _ld(2, bytes([10, 0, 12, 2]))           # gateway
    route = _vi(1, 1) + _ld(2, bytes([10, 250, 0, 0])) + _vi(3, 33) + \
        _ld(8, nh)
    add = _ld(1, route)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(sock_path)
    s.sendall(_frame(0x100, hello, 1) + _frame(0x110, add, 2))
    # ribd closes (dropping the HELLO_ACK it had queued): we see EOF.
    while s.recv(4096):
        pass
    s.close()
    log = ribd_log(lab, "r1")
    assert "ROUTE_ADD route 0 of 1: prefix length 33 exceeds 32 for IPv4" \
        in log, log[-2000:]
    assert "bgp/7" not in sessions(lab)
    assert len(bgp_routes(lab, MAIN_RANGE)) == COUNT


def test_withdraw(lab):
    """The first client withdraws: every route leaves the kernel."""
    out = inject(lab, *(MAIN + ["--withdraw"]))
    assert out[1]["removed"] == COUNT, out
    print("10k withdrawals through ribd: %.3f s" % out[1]["seconds"])
    wait_until(lambda: not bgp_routes(lab), timeout=10,
               what="all bgp routes gone from the kernel")
