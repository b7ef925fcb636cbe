"""OSPF network types without broadcast (RFC 2328 §9.5.1, §12.4.1.4):
point-to-multipoint and NBMA against FRR 8.4, point-to-multipoint
non-broadcast between two Waypoint routers and BIRD 2 (topologies/onet,
lab ``onet``).  Three shared segments, each a bridge:

* sw1, point-to-multipoint (multicast hellos): r1, f1, f2;
* sw2, NBMA (`ip ospf network non-broadcast` and `neighbor` lines),
  priorities r1 10, f1 5, f2 0: r1 DR, f1 BDR, f2 never elected;
* sw3, point-to-multipoint non-broadcast: r1, r2 and BIRD's b1 (`type
  ptmp`, which greets its configured neighbours by unicast; FRR 8.4 does
  not have this type).

Asserts:

- every adjacency Full on both sides (`show ip ospf neighbor json` of
  ospfd and of FRR, `show ospf neighbors` of BIRD), the roles of the
  NBMA election on both sides;
- `show ip ospf interface json` names the network types, and on NBMA
  the configured neighbours with their state;
- r1's router-LSA: a point-to-point link per neighbour on sw1 and sw3
  with our address as link data, a host stub for our own address at
  cost 0, a transit link for sw2 (§12.4.1.2, §12.4.1.4);
- the kernel FIB of every namespace: r1 reaches f1 and f2 over both
  segments at equal cost (the p2mp next hop is the neighbour's address,
  §16.1.1), r2 everything through r1 but b1, b1 r2 directly and the
  rest through r1; FRR computes the same two paths
  (`show ip ospf route json`) and its kernel has the NBMA one (FRR 8.4's
  zebra leaves next hops through a point-to-multipoint neighbour
  inactive, shadowed by that neighbour's own host route: its FRR-to-FRR
  routes are the same);
- f1's NBMA interface down: r1 routes through sw1 only and shows the
  configured neighbour Down; up again: polled (poll-interval 5 s), Full,
  and both paths back.

Hello 1 s / dead 4 s everywhere."""

import os
import re

from lablib.fixtures import lab_fixture
from lablib.harness import (require_bird, require_frr, require_waypoint,
                            wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "onet")

R1, F1, F2, R2, B1 = ("10.255.0.1", "10.255.0.2", "10.255.0.3",
                      "10.255.0.4", "10.255.0.9")

lab = lab_fixture(TOPO, requires=lambda: (require_frr("ospfd"),
                                          require_bird(),
                                          require_waypoint("ospfd")))


def wp(lab, node, cmd):
    return lab.wp_json(node, cmd, daemon="ospfd")


def wp_nbrs(lab, node):
    """{(router ID, interface): (state, role)} as a Waypoint node sees."""
    return {(n["routerId"], n["interface"]): (n["state"], n["role"])
            for n in wp(lab, node, "show ip ospf neighbor")["neighbors"]}


def bird_nbrs(lab):
    """{(router ID, interface): state} from BIRD's `show ospf neighbors`."""
    out = {}
    for line in lab.bird_cmd("b1", "show ospf neighbors").splitlines():
        f = line.split()
        if len(f) >= 6 and re.match(r"^\d+\.\d+\.\d+\.\d+$", f[0]):
            out[(f[0], f[4])] = f[2]
    return out


WANT_R1 = {(F1, "eth1"): ("Full", "-"), (F2, "eth1"): ("Full", "-"),
           (F1, "eth2"): ("Full", "Backup"),
           (F2, "eth2"): ("Full", "DROther"),
           (R2, "eth3"): ("Full", "-"), (B1, "eth3"): ("Full", "-")}
WANT_F1 = {(R1, "eth1"): "Full/DROther", (F2, "eth1"): "Full/DROther",
           (R1, "eth2"): "Full/DR", (F2, "eth2"): "Full/DROther"}
WANT_F2 = {(R1, "eth1"): "Full/DROther", (F1, "eth1"): "Full/DROther",
           (R1, "eth2"): "Full/DR", (F1, "eth2"): "Full/Backup"}


def all_full(lab):
    return (wp_nbrs(lab, "r1") == WANT_R1 and
            wp_nbrs(lab, "r2") == {(R1, "eth1"): ("Full", "-"),
                                   (B1, "eth1"): ("Full", "-")} and
            bird_nbrs(lab) == {(R1, "eth1"): "Full/PtP",
                               (R2, "eth1"): "Full/PtP"} and
            lab.frr_ospf_neighbors("f1") == WANT_F1 and
            lab.frr_ospf_neighbors("f2") == WANT_F2)


def fib(lab, node, prefix):
    """{(gateway, dev)} of NODE's kernel route for PREFIX, or None."""
    r = lab.route(node, prefix)
    if r is None:
        return None
    if r.get("nexthops"):
        return {(n.get("gateway"), n.get("dev")) for n in r["nexthops"]}
    return {(r.get("gateway"), r.get("dev"))}


def wait_fib(lab, node, prefix, want, timeout=30):
    wait_until(lambda: fib(lab, node, prefix) == want, timeout=timeout,
               what="%s: kernel route %s via %s, have %s" % (
                   node, prefix, sorted(want), fib(lab, node, prefix)))


def test_adjacencies_full(lab):
    """Full everywhere, seen from both sides; NBMA roles agree."""
    wait_until(lambda: all_full(lab), timeout=60,
               what="every adjacency Full on both sides")


def test_show_interface(lab):
    """Network types, and on NBMA / p2mp non-broadcast the configured
    neighbours with their state and poll interval."""
    wait_until(lambda: all_full(lab), timeout=60, what="adjacencies")
    ifs = {i["name"]: i for i in wp(lab, "r1", "show ip ospf interface")[
        "interfaces"]}
    assert ifs["eth1"]["networkType"] == "POINTOMULTIPOINT"
    assert ifs["eth1"]["state"] == "Point-To-Point"
    assert "nbmaNeighbors" not in ifs["eth1"]
    assert ifs["eth2"]["networkType"] == "NBMA"
    assert ifs["eth2"]["state"] == "DR"
    assert ifs["eth2"]["nbmaNeighbors"] == [
        {"address": "10.0.60.2", "priority": 5, "pollInterval": 5,
         "state": "Full"},
        {"address": "10.0.60.3", "priority": 0, "pollInterval": 5,
         "state": "Full"}]
    assert ifs["eth3"]["networkType"] == "POINTOMULTIPOINT NON-BROADCAST"
    assert ifs["eth3"]["nbmaNeighbors"] == [
        {"address": "10.0.70.4", "priority": 0, "pollInterval": 120,
         "state": "Full"},
        {"address": "10.0.70.9", "priority": 0, "pollInterval": 120,
         "state": "Full"}]
    r2 = {i["name"]: i for i in wp(lab, "r2", "show ip ospf interface")[
        "interfaces"]}["eth1"]
    assert r2["networkType"] == "POINTOMULTIPOINT NON-BROADCAST"
    assert r2["received"]["hello"] > 0 and r2["dropped"] == 0
    text = lab.wp_cmd("r1", "show ip ospf interface eth2", daemon="ospfd")
    assert "Network Type NBMA" in text
    assert ("Configured neighbor 10.0.60.2, priority 5, poll interval 5s, "
            "state Full") in text


def test_router_lsa_p2mp_links(lab):
    """§12.4.1.4 as FRR received it: a point-to-point link per neighbour
    with r1's address as link data, host stubs for r1's addresses at
    cost 0; §12.4.1.2 for the NBMA segment (transit to the DR)."""
    wait_until(lambda: all_full(lab), timeout=60, what="adjacencies")
    db = lab.frr_json("f1", "show ip ospf database router " + R1)
    area = db["routerLinkStates"]["areas"]["0.0.0.0"]
    links = list(area[0]["routerLinks"].values())

    def has(pred):
        return any(pred(ln) for ln in links)

    for nbr, addr in ((F1, "10.0.50.1"), (F2, "10.0.50.1"),
                      (R2, "10.0.70.1")):
        assert has(lambda ln: ln.get("neighborRouterId") == nbr and
                   ln.get("routerInterfaceAddress") == addr and
                   ln.get("tos0Metric") == 10), (nbr, links)
    for host in ("10.0.50.1", "10.0.70.1"):
        assert has(lambda ln: ln.get("networkAddress") == host and
                   ln.get("networkMask") == "255.255.255.255" and
                   ln.get("tos0Metric") == 0), (host, links)
    assert has(lambda ln: ln.get("designatedRouterAddress") ==
               "10.0.60.1" and ln.get("routerInterfaceAddress") ==
               "10.0.60.1"), links
    # No subnet stub for a point-to-multipoint segment.
    assert not has(lambda ln: ln.get("networkAddress") in
                   ("10.0.50.0", "10.0.70.0")), links


BOTH_F1 = {("10.0.50.2", "eth1"), ("10.0.60.2", "eth2")}
BOTH_F2 = {("10.0.50.3", "eth1"), ("10.0.60.3", "eth2")}


def test_kernel_fibs(lab):
    """Every namespace's kernel FIB; FRR's own routing table."""
    wait_until(lambda: all_full(lab), timeout=60, what="adjacencies")
    wait_fib(lab, "r1", F1 + "/32", BOTH_F1)
    wait_fib(lab, "r1", F2 + "/32", BOTH_F2)
    wait_fib(lab, "r1", "10.0.50.2/32", BOTH_F1)
    wait_fib(lab, "r1", R2 + "/32", {("10.0.70.4", "eth3")})
    wait_fib(lab, "r1", B1 + "/32", {("10.0.70.9", "eth3")})
    for p in (R1, F1, F2):
        wait_fib(lab, "r2", p + "/32", {("10.0.70.1", "eth1")})
        wait_fib(lab, "b1", p + "/32", {("10.0.70.1", "eth1")})
    wait_fib(lab, "r2", "10.0.60.0/24", {("10.0.70.1", "eth1")})
    wait_fib(lab, "r2", B1 + "/32", {("10.0.70.9", "eth1")})
    wait_fib(lab, "b1", R2 + "/32", {("10.0.70.4", "eth1")})
    for node, addr in (("f1", "10.0.60.1"), ("f2", "10.0.60.1")):
        wait_fib(lab, node, R1 + "/32", {(addr, "eth2")})
        wait_fib(lab, node, R2 + "/32", {(addr, "eth2")})
        wait_fib(lab, node, B1 + "/32", {(addr, "eth2")})

    def frr_paths(node, prefix):
        r = lab.frr_json(node, "show ip ospf route").get(prefix, {})
        return {(n.get("ip"), n.get("via")) for n in r.get("nexthops", [])}
    for node in ("f1", "f2"):
        want = {("10.0.50.1", "eth1"), ("10.0.60.1", "eth2")}
        wait_until(lambda: frr_paths(node, R1 + "/32") == want and
                   frr_paths(node, R2 + "/32") == want, timeout=20,
                   what="%s: OSPF paths to r1 and r2 over both" % node)


def test_nbma_neighbor_down_and_polled_back(lab):
    """f1's NBMA interface down: r1 keeps f1 as a configured neighbour,
    Down, and routes over sw1 alone; up: Full again, both paths."""
    wait_until(lambda: all_full(lab), timeout=60, what="adjacencies")
    wait_fib(lab, "r1", F1 + "/32", BOTH_F1)
    lab.exec("f1", ["ip", "link", "set", "eth2", "down"])
    try:
        def down():
            ifs = {i["name"]: i for i in wp(
                lab, "r1", "show ip ospf interface")["interfaces"]}
            states = {n["address"]: n["state"]
                      for n in ifs["eth2"]["nbmaNeighbors"]}
            return (states.get("10.0.60.2") == "Down" and
                    (F1, "eth2") not in wp_nbrs(lab, "r1"))
        wait_until(down, timeout=20, what="r1: f1 Down on NBMA")
        wait_fib(lab, "r1", F1 + "/32", {("10.0.50.2", "eth1")})
    finally:
        lab.exec("f1", ["ip", "link", "set", "eth2", "up"])
    wait_until(lambda: all_full(lab), timeout=60,
               what="f1 Full again on NBMA")
    wait_fib(lab, "r1", F1 + "/32", BOTH_F1)


def r1_iface(lab, name):
    return {i["name"]: i for i in wp(lab, "r1", "show ip ospf interface")[
        "interfaces"]}[name]


def test_commit_through_mgmtd(lab):
    """`ip ospf network point-to-multipoint non-broadcast` and `neighbor`
    lines committed through mgmtd: eth1 restarts as the new type, takes
    the neighbours on its subnet without another restart, and is Full
    with f1 and f2 again; running-config has the lines as typed.  Undone
    the same way: plain point-to-multipoint, no configured neighbours."""
    wait_until(lambda: all_full(lab), timeout=60, what="adjacencies")
    lab.wp_configure("r1", "interface eth1",
                     "ip ospf network point-to-multipoint non-broadcast",
                     "exit", "router ospf", "neighbor 10.0.50.2",
                     "neighbor 10.0.50.3 poll-interval 7")
    try:
        def nb_full():
            e = r1_iface(lab, "eth1")
            return (e["networkType"] == "POINTOMULTIPOINT NON-BROADCAST" and
                    [(n["address"], n["pollInterval"], n["state"])
                     for n in e.get("nbmaNeighbors", [])] ==
                    [("10.0.50.2", 120, "Full"), ("10.0.50.3", 7, "Full")])
        wait_until(nb_full, timeout=30,
                   what="eth1 p2mp non-broadcast, both neighbours Full")
        run = lab.wp_cmd("r1", "show running-config", daemon="mgmtd")
        assert " ip ospf network point-to-multipoint non-broadcast\n" in run
        assert " neighbor 10.0.50.3 poll-interval 7\n" in run
        wait_until(lambda: all_full(lab), timeout=30, what="adjacencies")
    finally:
        lab.wp_configure("r1", "interface eth1",
                         "no ip ospf network point-to-multipoint "
                         "non-broadcast", "exit", "router ospf",
                         "no neighbor 10.0.50.2", "no neighbor 10.0.50.3")
    wait_until(lambda: r1_iface(lab, "eth1")["networkType"] ==
               "POINTOMULTIPOINT" and all_full(lab), timeout=30,
               what="eth1 back to point-to-multipoint, Full")
    assert "nbmaNeighbors" not in r1_iface(lab, "eth1")
    wait_fib(lab, "r1", F1 + "/32", BOTH_F1)
