"""ospfd and bfdd configured through mgmtd, as a user of vtysh does.

Topology r1 - r2 (topologies/cfgproto): each router's waypoint.conf goes
to mgmtd alone; labctl starts ribd, ospfd and bfdd without a file and
they take their parts from mgmtd.  The adjacency and the BFD session come
up from that; a change committed in vtysh reaches the protocol (a new
OSPF cost moves the route's cost, a BFD timer change runs a poll
sequence without a flap); a commit a daemon refuses names the command
and changes nothing, neither the running configuration nor the daemon;
a peer removed in vtysh takes its session along.
"""

import os

import pytest

from lablib import roles
from lablib.harness import module_lab, require_root, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "cfgproto")


@pytest.fixture(scope="module")
def lab():
    require_root()
    find = roles.waypoint_bindir()
    if find is None or not all(find(d) for d in ("mgmtd", "ribd", "ospfd",
                                                  "bfdd")):
        pytest.skip("mgmtd, ribd, ospfd and bfdd are not all built")
    if roles.waypoint_vtysh() is None:
        pytest.skip("vtysh is not built")
    yield from module_lab(TOPO)


def argv(lab, node, daemon):
    with open("/proc/%d/cmdline" % lab.wp_pid(node, daemon), "rb") as f:
        return f.read().split(b"\0")


def ospf_route(lab, node, prefix):
    js = lab.wp_json(node, "show ip ospf route", daemon="ospfd")
    return next((r for r in js["routes"] if r["prefix"] == prefix), None)


def bfd_peer(lab, node, peer):
    js = lab.wp_json(node, "show bfd peers", daemon="bfdd")
    return next((p for p in js["peers"] if p["peer"] == peer), None)


def full(lab, node, nbr):
    js = lab.wp_json(node, "show ip ospf neighbor", daemon="ospfd")
    return any(n["routerId"] == nbr and n["state"] == "Full"
               for n in js["neighbors"])


def running(lab, node):
    return lab.wp_cmd(node, "show running-config", daemon="mgmtd")


def test_daemons_take_mgmtds_configuration(lab):
    for node in ("r1", "r2"):
        for d in ("ribd", "ospfd", "bfdd"):
            assert b"-f" not in argv(lab, node, d), (node, d)
    wait_until(lambda: full(lab, "r1", "10.255.0.2") and
               full(lab, "r2", "10.255.0.1"), timeout=30,
               what="OSPF adjacency Full on both sides")
    wait_until(lambda: (ospf_route(lab, "r1", "10.255.0.2/32") or
                        {}).get("cost") == 10, timeout=15,
               what="r1's OSPF route to r2's loopback")
    wait_until(lambda: all((bfd_peer(lab, n, p) or {}).get("state") == "up"
                           for n, p in (("r1", "10.0.12.2"),
                                        ("r2", "10.0.12.1"))),
               timeout=20, what="BFD session up on both sides")


def test_ospf_cost_committed_in_vtysh(lab):
    lab.wp_configure("r1", "interface eth1", "ip ospf cost 55")
    wait_until(lambda: (ospf_route(lab, "r1", "10.255.0.2/32") or
                        {}).get("cost") == 55, timeout=15,
               what="r1's route cost follows the committed cost")
    assert " ip ospf cost 55\n" in running(lab, "r1")
    assert full(lab, "r1", "10.255.0.2")
    lab.wp_configure("r1", "interface eth1", "no ip ospf cost")
    wait_until(lambda: (ospf_route(lab, "r1", "10.255.0.2/32") or
                        {}).get("cost") == 10, timeout=15,
               what="default cost back")


def test_refused_commit_changes_nothing(lab):
    before = running(lab, "r1")
    js0 = lab.wp_json("r1", "show ip ospf interface", daemon="ospfd")
    cp = lab.wp_configure("r1", "router ospf", "neighbor 0.0.0.0",
                          check=False)
    msg = cp.stdout + cp.stderr
    assert cp.returncode != 0
    assert "ospfd refused the configuration" in msg, msg
    assert "(in 'neighbor 0.0.0.0')" in msg, msg
    assert running(lab, "r1") == before
    js1 = lab.wp_json("r1", "show ip ospf interface", daemon="ospfd")
    types = {i["name"]: i["networkType"] for i in js1["interfaces"]}
    assert types == {i["name"]: i["networkType"]
                     for i in js0["interfaces"]}
    assert types["eth1"] == "POINTOPOINT"
    assert full(lab, "r1", "10.255.0.2")


def test_bfd_timers_and_peers_committed_in_vtysh(lab):
    p0 = bfd_peer(lab, "r1", "10.0.12.2")
    lab.wp_configure("r1", "bfd", "profile fast", "transmit-interval 200")
    wait_until(lambda: bfd_peer(lab, "r2", "10.0.12.1")
               ["remoteTransmitInterval"] == 200, timeout=10,
               what="r2 sees r1 transmit at 200 ms")
    p1 = bfd_peer(lab, "r1", "10.0.12.2")
    assert p1["state"] == "up"
    assert p1["counters"]["pollSequences"] > p0["counters"]["pollSequences"]
    assert not [h for h in p1["history"] if h["to"] == "down" and
                h["timestamp"] >= p0["history"][-1]["timestamp"] and
                h is not p0["history"][-1]]
    lab.wp_configure("r1", "bfd", "no peer 10.0.12.2 interface eth1")
    wait_until(lambda: bfd_peer(lab, "r1", "10.0.12.2") is None, timeout=10,
               what="r1's session deleted with its peer")
    # r2 hears AdminDown, not a failure
    wait_until(lambda: bfd_peer(lab, "r2", "10.0.12.1")["state"] == "down",
               timeout=10, what="r2's session down")
    lab.wp_configure("r1", "bfd", "peer 10.0.12.2 interface eth1",
                     "profile fast")
    wait_until(lambda: (bfd_peer(lab, "r1", "10.0.12.2") or
                        {}).get("state") == "up", timeout=20,
               what="the session back up")
