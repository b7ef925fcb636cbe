"""ospfd redistribution against FRR (topologies/oredist).

r1 (Waypoint) redistributes its connected networks, a static route
(metric 30, type 1) and a default (`default-information originate
always`); f1 (FRR 8.4) redistributes a static route.  Asserted on both
sides: the AS-external-LSAs in FRR's database, FRR's routes and kernel
FIB (E1 cost adds the path, E2 does not), our kernel FIB for FRR's
external; then changes committed in r1's vtysh: redistribution turned
off and on, the static route removed, the default made conditional on a
default route.  127.0.0.0/8 is never announced."""

import os

import pytest

import ospf_fib as fib
from lablib.harness import module_lab

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "oredist")
VIA_R1 = {("10.0.12.1", "eth1")}


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd", "ribd"), frr=("ospfd",))


def frr_externals(lab):
    """{link state ID: LSA} of r1's AS-external-LSAs in f1's database."""
    js = lab.frr_json("f1", "show ip ospf database external")
    out = {}
    for lsas in js.get("asExternalLinkStates", []) or []:
        if lsas.get("advertisingRouter") == "10.255.0.1":
            out[lsas["linkStateId"]] = lsas
    return out


def frr_ospf_route(lab, prefix):
    return lab.frr_json("f1", "show ip ospf route").get(prefix)


def test_externals_reach_frr(lab):
    for p in ("10.99.0.0/16", "10.9.1.0/24", "0.0.0.0/0"):
        fib.wait_fib(lab, "f1", p, VIA_R1, timeout=30)
    e1 = frr_ospf_route(lab, "10.99.0.0/16")
    assert e1["routeType"] == "N E1" and e1["cost"] == 40, e1
    conn = frr_ospf_route(lab, "10.9.1.0/24")
    assert conn["routeType"] == "N E2" and conn["type2cost"] == 20, conn
    dflt = frr_ospf_route(lab, "0.0.0.0/0")
    assert dflt["routeType"] == "N E2" and dflt["type2cost"] == 10, dflt
    assert lab.route("f1", "127.0.0.0/8") is None
    js = lab.wp_json("r1", "show ip ospf", daemon="ospfd")
    assert js["asbr"] is True
    # FRR sees r1 as an AS boundary router (E-bit in its router-LSA).
    br = lab.frr_cmd("f1", "show ip ospf border-routers")
    assert "R    10.255.0.1" in br and "ASBR" in br, br


def test_frr_external_in_our_fib(lab):
    fib.wait_fib(lab, "r1", "10.88.0.0/16", {("10.0.12.2", "eth1")},
                 timeout=30)
    r = fib.ospf_routes(lab, "r1")["10.88.0.0/16"]
    assert r["pathType"] in ("external-2", "E2", "external type 2"), r


def test_redistribution_follows_commits(lab):
    lab.wp_configure("r1", "router ospf", "no redistribute static")
    fib.wait_no_fib(lab, "f1", "10.99.0.0/16")
    assert fib.fib_nexthops(lab, "f1", "10.9.1.0/24") == VIA_R1
    lab.wp_configure("r1", "router ospf",
                     "redistribute static metric 30 metric-type 1")
    fib.wait_fib(lab, "f1", "10.99.0.0/16", VIA_R1)
    # The route itself goes: ribd withdraws it from the stream.
    lab.wp_configure("r1", "no ip route 10.99.0.0/16 10.9.1.10")
    fib.wait_no_fib(lab, "f1", "10.99.0.0/16")
    lab.wp_configure("r1", "ip route 10.99.0.0/16 10.9.1.10")
    fib.wait_fib(lab, "f1", "10.99.0.0/16", VIA_R1)


def test_default_without_always_follows_a_default_route(lab):
    lab.wp_configure("r1", "router ospf", "default-information originate")
    fib.wait_no_fib(lab, "f1", "0.0.0.0/0")
    lab.wp_configure("r1", "ip route 0.0.0.0/0 10.9.1.10")
    fib.wait_fib(lab, "f1", "0.0.0.0/0", VIA_R1)
    lab.wp_configure("r1", "no ip route 0.0.0.0/0 10.9.1.10")
    fib.wait_no_fib(lab, "f1", "0.0.0.0/0")
    lab.wp_configure("r1", "router ospf",
                     "default-information originate always")
    fib.wait_fib(lab, "f1", "0.0.0.0/0", VIA_R1)
    assert "0.0.0.0" in frr_externals(lab)
