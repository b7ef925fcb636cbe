"""ospfd's routes in the kernel through ribd, with FRR around it
(topologies/orib-ecmp): two equal-cost paths to f3 end as one multipath
kernel route with both gateways, shrink to one when a path goes and grow
back; a prefix that a static route (distance 1) also covers stays OSPF's
in ospfd's table but is reported `not-selected`, and the kernel forwards
by the static route.  FRR's kernel holds our loopback over both paths."""

import os

import pytest

import ospf_fib as fib
from lablib.harness import module_lab, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "orib-ecmp")

R1, F3, F3B = "10.255.7.1/32", "10.255.7.4/32", "10.255.7.44/32"
BOTH = {("10.0.1.2", "eth1"), ("10.0.2.3", "eth2")}


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd", "ribd"), frr=("ospfd",))


def full(lab):
    st = [n["state"] for n in lab.wp_json(
        "r1", "show ip ospf neighbor", daemon="ospfd")["neighbors"]]
    return st == ["Full", "Full"]


def test_ecmp_in_the_kernel(lab):
    wait_until(lambda: full(lab), timeout=40, what="r1 Full with f1, f2")
    fib.wait_fib(lab, "r1", F3, BOTH, timeout=30)
    wait_until(lambda: fib.rib_settled(lab, "r1"), timeout=20,
               what="every route answered")
    r = fib.ospf_routes(lab, "r1")[F3]
    assert r["installed"] and r["fib"] == "installed"
    assert {(n["ip"], n["interface"]) for n in r["nexthops"]} == BOTH
    rib = lab.wp_json("r1", "show ip route")[F3][0]
    assert rib["protocol"] == "ospf" and rib["distance"] == 110
    assert rib["metric"] == r["cost"]
    # FRR's side: our loopback over both of f3's paths.
    fib.wait_fib(lab, "f3", R1, {("10.0.13.2", "eth1"),
                                 ("10.0.23.3", "eth2")})
    assert lab.ping("r1", F3.split("/")[0])


def test_path_lost_and_back(lab):
    """f2's link to r1 goes down: the multipath route becomes a route via
    f1 alone, by an SPF difference; back up, both paths again."""
    fib.wait_fib(lab, "r1", F3, BOTH, timeout=30)
    lab.exec("f2", "ip link set eth1 down")
    try:
        fib.wait_fib(lab, "r1", F3, {("10.0.1.2", "eth1")}, timeout=20)
    finally:
        lab.exec("f2", "ip link set eth1 up")
    wait_until(lambda: full(lab), timeout=40, what="f2 adjacency back")
    fib.wait_fib(lab, "r1", F3, BOTH, timeout=20)


def test_not_selected(lab):
    """ribd prefers the static route (distance 1) for 10.255.7.44/32:
    ospfd's route for it is reported not-selected, the kernel forwards by
    the static route, via f1 only."""
    wait_until(lambda: F3B in fib.ospf_routes(lab, "r1"), timeout=30,
               what="r1 learns 10.255.7.44/32")
    wait_until(lambda: fib.ospf_routes(lab, "r1")[F3B]["fib"] ==
               "not-selected", timeout=20,
               what="ospfd's 10.255.7.44/32 not selected")
    assert not fib.ospf_routes(lab, "r1")[F3B]["installed"]
    k = lab.route("r1", F3B)
    assert k is not None and k.get("protocol") != "ospf", k
    assert k.get("gateway") == "10.0.1.2" and not k.get("nexthops"), k
    assert fib.rib_session(lab, "r1")["notSelected"] == 1
