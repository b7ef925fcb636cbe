"""ospfd against itself: four Waypoint routers on one LAN
(topologies/wp-lan).  The DR and BDR are elected by priority, the two
DROthers stay 2-Way with each other and Full with the DR and BDR, all
LSDBs agree, and routes go straight across the LAN whatever the
adjacencies.  Then the DR's ospfd is killed and started again: its
neighbours still hold its LSAs from before, so it must move its sequence
numbers past them (RFC 2328 §13.4) before the LSDBs agree again.

Every node also runs ribd: the OSPF routes must be in each kernel FIB
with the LAN neighbour as gateway.  A DROther's ospfd killed with SIGKILL
leaves its routes in the kernel (graceful restart with ribd), its restart
re-sends them without one kernel change, and a route whose LSA went away
meanwhile is removed once the restarted ospfd has its full table.  An
ospfd that runs without ribd keeps its adjacencies and installs its
routes once ribd is back."""

import os
import signal
import subprocess

import pytest

import ospf_fib as fib
from lablib import state as stm
from lablib.harness import module_lab, wait_until
from lablib.monitor import RouteMonitor

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "wp-lan")
NODES = ["r1", "r2", "r3", "r4"]


def rid(node):
    return "10.255.1.%s" % node[1:]


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd",))


def wp(lab, node, cmd):
    return lab.wp_json(node, cmd, daemon="ospfd")


def states(lab, node):
    return {n["routerId"]: n["state"]
            for n in wp(lab, node, "show ip ospf neighbor")["neighbors"]}


def lsdb(lab, node):
    out = set()
    for area in wp(lab, node, "show ip ospf database")["areas"]:
        for lsa in area["lsas"]:
            if lsa["age"] < 3600:
                out.add((lsa["type"], lsa["lsId"], lsa["advRouter"],
                         lsa["sequence"]))
    return out


def dr_bdr(lab, node):
    eth1 = [i for i in wp(lab, node, "show ip ospf interface")[
        "interfaces"] if i["name"] == "eth1"][0]
    return eth1["drId"], eth1["bdrId"]


def converged(lab):
    """Everyone agrees on one DR and BDR; adjacencies are what §10.4 says:
    Full with the DR and BDR, 2-Way between DROthers."""
    views = {n: dr_bdr(lab, n) for n in NODES}
    if len(set(views.values())) != 1:
        return False
    dr, bdr = views["r1"]
    if dr == "0.0.0.0" or bdr == "0.0.0.0":
        return False
    for n in NODES:
        st = states(lab, n)
        if len(st) != 3:
            return False
        for other, s in st.items():
            want = "Full" if rid(n) in (dr, bdr) or other in (dr, bdr) \
                else "2-Way"
            if s != want:
                return False
    return True


def lsdbs_agree(lab):
    dbs = [lsdb(lab, n) for n in NODES]
    return all(d == dbs[0] for d in dbs) and len(dbs[0]) >= 5


def test_election_and_adjacencies(lab):
    wait_until(lambda: converged(lab), timeout=40,
               what="DR/BDR elected, adjacencies as §10.4 says")
    assert dr_bdr(lab, "r3") == (rid("r1"), rid("r2"))
    assert states(lab, "r3")[rid("r4")] == "2-Way"
    roles_r3 = {n["routerId"]: n["role"] for n in wp(
        lab, "r3", "show ip ospf neighbor")["neighbors"]}
    assert roles_r3 == {rid("r1"): "DR", rid("r2"): "Backup",
                        rid("r4"): "DROther"}


def test_lsdbs_agree(lab):
    wait_until(lambda: converged(lab), timeout=30, what="converged")
    wait_until(lambda: lsdbs_agree(lab), timeout=20, what="LSDBs agree")
    db = lsdb(lab, "r4")
    # Four router-LSAs and the DR's network-LSA listing all four.
    assert {(t, i) for t, i, _, _ in db if t == 1} == \
        {(1, rid(n)) for n in NODES}
    nets = [x for x in db if x[0] == 2]
    assert nets == [(2, "10.0.50.1", rid("r1"), nets[0][3])]
    full = wp(lab, "r4", "show ip ospf database")["areas"][0]["lsas"]
    net = [x for x in full if x["type"] == 2 and x["age"] < 3600][0]
    assert net["attachedRouters"] == 4


def test_routes_across_the_lan(lab):
    """r3 reaches r4's loopback directly over the LAN though they are
    only 2-Way: routing follows the network-LSA, not the adjacency."""
    wait_until(lambda: converged(lab), timeout=30, what="converged")

    def route(node, prefix):
        for r in wp(lab, node, "show ip ospf route")["routes"]:
            if r["prefix"] == prefix:
                return r
        return None
    wait_until(lambda: route("r3", "10.255.1.4/32") is not None,
               timeout=20, what="r3 has r4's loopback")
    r = route("r3", "10.255.1.4/32")
    assert r["cost"] == 10
    assert r["nexthops"] == [{"ip": "10.0.50.4", "interface": "eth1"}]
    assert route("r3", "10.0.50.0/24")["directlyAttached"]


def _ospfd_record(lab, node):
    st = stm.load(lab.name)
    return [d for d in st["nodes"][node]["daemons"]
            if d["name"] == "ospfd"][0]


def test_restart_moves_sequence_numbers(lab):
    """Kill r1's ospfd (no goodbye) and start it again: the neighbours
    hand it back its old router-LSA, newer than what it starts with, and
    it re-originates past it (§13.4); every LSDB agrees in the end."""
    wait_until(lambda: converged(lab) and lsdbs_agree(lab), timeout=30,
               what="converged")
    before = {(t, i, a): s for t, i, a, s in lsdb(lab, "r2")}
    old_seq = int(before[(1, rid("r1"), rid("r1"))], 16)
    rec = _ospfd_record(lab, "r1")
    with open("/run/waypoint/%s/ospfd.pid" % lab.netns("r1")) as f:
        pid = int(f.read().split()[0])
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not os.path.exists("/proc/%d" % pid) or
               open("/proc/%d/stat" % pid).read().split()[2] == "Z",
               timeout=10, what="ospfd exits")
    subprocess.run(["ip", "netns", "exec", lab.netns("r1")] +
                   list(rec["cmd"]), check=True, timeout=30,
                   capture_output=True)
    wait_until(lambda: converged(lab), timeout=40,
               what="adjacencies back after the restart")

    def moved_on():
        db = {(t, i, a): s for t, i, a, s in lsdb(lab, "r3")}
        s = db.get((1, rid("r1"), rid("r1")))
        return s is not None and int(s, 16) > old_seq and lsdbs_agree(lab)
    wait_until(moved_on, timeout=30,
               what="r1's router-LSA past its old sequence number")
    log = open(rec["log"]).read()
    assert "received our own" in log


def loopbacks(but):
    return ["10.255.1.%s/32" % n[1:] for n in NODES if n != but]


def gw(prefix):
    """r<N>'s loopback is reached over the LAN through 10.0.50.N."""
    return {("10.0.50.%s" % prefix.split("/")[0].split(".")[3], "eth1")}


def test_fib_holds_ospf_routes(lab):
    """Each kernel FIB has the three other loopbacks, from ospf, via the
    owner's LAN address; ospfd reports each as installed and leaves the
    LAN itself (connected) to the kernel."""
    wait_until(lambda: converged(lab), timeout=30, what="converged")
    for n in NODES:
        for p in loopbacks(n):
            fib.wait_fib(lab, n, p, gw(p))
        wait_until(lambda: fib.rib_settled(lab, n), timeout=20,
                   what="%s: every route answered by ribd" % n)
        rts = fib.ospf_routes(lab, n)
        for p in loopbacks(n):
            assert rts[p]["installed"] and rts[p]["fib"] == "installed", \
                rts[p]
        assert rts["10.0.50.0/24"]["fib"] == "connected"
        assert not rts["10.0.50.0/24"]["installed"]
        assert fib.rib_session(lab, n)["installed"] == 3
    # ribd holds them as OSPF routes at distance 110, metric = cost.
    r = lab.wp_json("r3", "show ip route")["10.255.1.4/32"][0]
    assert r["protocol"] == "ospf" and r["distance"] == 110
    assert r["metric"] == 10


def test_lsa_gone_route_removed(lab):
    """r4's loopback leaves its router-LSA: every other kernel drops the
    route; back, and every kernel has it again."""
    p = "10.255.1.4/32"
    for n in ("r1", "r2", "r3"):
        fib.wait_fib(lab, n, p, gw(p))
    lab.exec("r4", "ip addr del %s dev lo" % p)
    try:
        for n in ("r1", "r2", "r3"):
            fib.wait_no_fib(lab, n, p)
            assert p not in fib.ospf_routes(lab, n)
    finally:
        lab.exec("r4", "ip addr add %s dev lo" % p)
    for n in ("r1", "r2", "r3"):
        fib.wait_fib(lab, n, p, gw(p))


def test_graceful_restart(lab):
    """SIGKILL r3's ospfd: ribd keeps its routes in the kernel.  While it
    is down r4's loopback leaves r4's router-LSA.  The restarted ospfd
    re-sends the routes it still has (no kernel change for them, watched
    with ip monitor) and, once its table is complete, the stale route to
    r4's loopback is removed from r3's kernel."""
    wait_until(lambda: converged(lab), timeout=30, what="converged")
    keep = ["10.255.1.1/32", "10.255.1.2/32"]
    gone = "10.255.1.4/32"
    for p in keep + [gone]:
        fib.wait_fib(lab, "r3", p, gw(p))
    wait_until(lambda: fib.rib_settled(lab, "r3"), timeout=20,
               what="r3 settled with ribd")
    mon = RouteMonitor(lab, "r3")
    mon.start()
    try:
        fib.kill9(lab, "r3", "ospfd")

        def held():
            s = {x["session"]: x for x in lab.wp_json(
                "r3", "show rib clients")["sessions"]}.get("ospf/0", {})
            return (not s.get("connected", True) and s["routes"] == 3
                    and s["gracefulRestart"])
        wait_until(held, timeout=10, what="ribd holds r3's OSPF routes")
        lab.exec("r4", "ip addr del %s dev lo" % gone)
        wait_until(lambda: gone not in fib.ospf_routes(lab, "r1"),
                   timeout=20, what="r1 drops r4's loopback")
        for p in keep + [gone]:
            assert fib.fib_nexthops(lab, "r3", p) == gw(p), p
        fib.restart(lab, "r3", "ospfd")
        wait_until(lambda: fib.rib_settled(lab, "r3"), timeout=60,
                   what="restarted ospfd: initial table complete")
        fib.wait_no_fib(lab, "r3", gone)
    finally:
        events = mon.stop()
    assert mon.touched(keep) == [], events
    assert any(ln.startswith("Deleted 10.255.1.4 ") for ln in events), \
        events
    for p in keep:
        assert fib.fib_nexthops(lab, "r3", p) == gw(p)
    assert "initial routing table complete" in open(
        fib.daemon_record(lab, "r3", "ospfd")["log"]).read()
    lab.exec("r4", "ip addr add %s dev lo" % gone)
    fib.wait_fib(lab, "r3", gone, gw(gone))


def drop_routes(lab, node, prefixes):
    """Delete the kernel routes, as a lost FIB would be."""
    for p in prefixes:
        lab.exec(node, "ip route del %s" % p)
    assert all(lab.route(node, p) is None for p in prefixes)


def test_without_ribd(lab):
    """r4: ribd killed, the OSPF routes gone from the kernel; ribd back:
    ospfd reconnects and sends them all again.  Then ospfd started while
    ribd is away keeps its adjacencies and installs once ribd comes."""
    wait_until(lambda: converged(lab), timeout=30, what="converged")
    lbs = loopbacks("r4")
    for p in lbs:
        fib.wait_fib(lab, "r4", p, gw(p))
    # ribd restart: the client library re-sends everything.
    fib.kill9(lab, "r4", "ribd")
    wait_until(lambda: not fib.rib_session(lab, "r4")["connected"],
               timeout=10, what="ospfd sees ribd gone")
    drop_routes(lab, "r4", lbs)
    fib.restart(lab, "r4", "ribd")
    for p in lbs:
        fib.wait_fib(lab, "r4", p, gw(p))
    wait_until(lambda: fib.rib_settled(lab, "r4"), timeout=20,
               what="r4 settled with the new ribd")
    # ospfd first, ribd later.
    fib.kill9(lab, "r4", "ospfd")
    fib.kill9(lab, "r4", "ribd")
    drop_routes(lab, "r4", lbs)
    fib.restart(lab, "r4", "ospfd")
    wait_until(lambda: converged(lab), timeout=40,
               what="adjacencies with ospfd alone")
    wait_until(lambda: all(p in fib.ospf_routes(lab, "r4") for p in lbs),
               timeout=20, what="r4 computes its routes")
    rts = fib.ospf_routes(lab, "r4")
    assert all(rts[p]["fib"] == "pending" and not rts[p]["installed"]
               for p in lbs), rts
    assert not fib.rib_session(lab, "r4")["connected"]
    assert all(lab.route("r4", p) is None for p in lbs)
    fib.restart(lab, "r4", "ribd")
    for p in lbs:
        fib.wait_fib(lab, "r4", p, gw(p))
    wait_until(lambda: fib.rib_settled(lab, "r4"), timeout=20,
               what="r4 settled once ribd came")
    assert all(r["installed"] for p, r in fib.ospf_routes(lab, "r4").items()
               if p in lbs)
