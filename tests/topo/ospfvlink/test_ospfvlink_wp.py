"""A virtual link with ospfd at both ends (topologies/vlink-wp: as
topologies/vlink, r2 runs Waypoint too).  Asserts the adjacency is Full
on both sides, area 2's prefixes reach the backbone routers' kernels
(r1 and FRR's a0), and r2 reaches the backbone (a0's loopback) over the
virtual link, as a backbone route."""

import os

from lablib.fixtures import lab_fixture
from lablib.harness import require_frr, require_waypoint, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "vlink-wp")

R1, R2 = "10.255.0.2", "10.255.0.4"
AREA2 = ("10.255.0.5/32", "10.0.34.0/24")


lab = lab_fixture(TOPO, requires=lambda: (require_frr("ospfd"),
                                          require_waypoint("ospfd")))


def vlink_state(lab, node, peer):
    for n in lab.wp_json(node, "show ip ospf neighbor",
                         daemon="ospfd")["neighbors"]:
        if n["routerId"] == peer and n["interface"].startswith("VLINK"):
            return n["state"]
    return None


def test_vlink_between_two_ospfd(lab):
    wait_until(lambda: vlink_state(lab, "r1", R2) == "Full" and
               vlink_state(lab, "r2", R1) == "Full", timeout=60,
               what="virtual link Full on r1 and r2")
    wait_until(lambda: all(lab.route(n, p) is not None
                           for n in ("r1", "a0") for p in AREA2),
               timeout=30, what="area 2 prefixes in r1's and a0's kernels")
    assert lab.route("r1", "10.255.0.5/32")["gateway"] == "10.0.12.3"
    assert lab.route("a0", "10.255.0.5/32")["gateway"] == "10.0.1.2"
    # r2 reaches a0 over the link: a backbone path (r2 -20- r1 -10- a0),
    # its first hop in the transit area.
    wait_until(lambda: lab.route("r2", "10.255.0.1/32") is not None,
               timeout=30, what="r2: a0's loopback")
    assert lab.route("r2", "10.255.0.1/32")["gateway"] == "10.0.23.3"
    rt = {r["prefix"]: r for r in lab.wp_json(
        "r2", "show ip ospf route", daemon="ospfd")["routes"]}
    assert rt["10.255.0.1/32"]["area"] == "0.0.0.0"
    assert rt["10.255.0.1/32"]["cost"] == 30
