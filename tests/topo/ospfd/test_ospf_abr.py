"""ospfd as an area border router between two FRR routers
(topologies/ospf-abr: f1 in area 0, f2 in area 1).  Each area's routes
reach the other as summary-LSAs (RFC 2328 §12.4.3) that FRR turns into
inter-area routes at the right cost; when f2's network goes away, its
summaries are flushed from area 0 and come back with it."""

import json
import os

import pytest

from lablib.harness import module_lab, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "ospf-abr")

R1, F1, F2 = "10.255.0.1", "10.255.0.2", "10.255.0.3"


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd",), frr=("ospfd",))


def wp(lab, cmd):
    return lab.wp_json("r1", cmd, daemon="ospfd")


def frr_route(lab, node, prefix):
    return lab.frr_json(node, "show ip ospf route").get(prefix)


def test_abr_summaries(lab):
    wait_until(lambda: all(n["state"] == "Full" for n in wp(
        lab, "show ip ospf neighbor")["neighbors"]) and len(wp(
            lab, "show ip ospf neighbor")["neighbors"]) == 2,
        timeout=40, what="both adjacencies Full")
    assert wp(lab, "show ip ospf")["areaBorderRouter"]
    # f1 (area 0) learns f2's loopback and subnet from area 1 via r1.
    wait_until(lambda: (frr_route(lab, "f1", F2 + "/32") or {}).get(
        "routeType") == "N IA", timeout=20, what="f1: f2 inter-area")
    assert frr_route(lab, "f1", F2 + "/32")["cost"] == 20
    assert frr_route(lab, "f1", "10.0.13.0/24")["cost"] == 20
    # f2 (area 1) learns f1's loopback and r1's (area 0) the same way.
    wait_until(lambda: (frr_route(lab, "f2", F1 + "/32") or {}).get(
        "routeType") == "N IA", timeout=20, what="f2: f1 inter-area")
    assert frr_route(lab, "f2", F1 + "/32")["cost"] == 20
    assert frr_route(lab, "f2", R1 + "/32")["cost"] == 10
    assert lab.has_route("f1", F2 + "/32", via="10.0.12.1", protocol="ospf")
    assert lab.has_route("f2", F1 + "/32", via="10.0.13.1", protocol="ospf")
    # Our summaries: area 0 carries area 1's routes and vice versa.
    db = {a["area"]: a["lsas"] for a in wp(lab, "show ip ospf database")[
        "areas"]}
    ours = {a: {(x["lsId"], x["metric"]) for x in lsas
                if x["type"] == 3 and x["advRouter"] == R1 and
                x["age"] < 3600} for a, lsas in db.items()}
    assert ours["0.0.0.0"] == {(F2, 10), ("10.0.13.0", 10)}
    assert ours["0.0.0.1"] == {(F1, 10), (R1, 0), ("10.0.12.0", 10)}


def _story(lab):
    """For a failure message: each router's neighbours and f1's view."""
    out = ["r1 neighbours: %s" % [
        (n["routerId"], n["state"], n.get("interface"))
        for n in wp(lab, "show ip ospf neighbor")["neighbors"]]]
    for node in ("f1", "f2"):
        out.append("%s: %s" % (node, lab.frr_cmd(
            node, "show ip ospf neighbor").strip()))
    out.append("r1 type-3 LSAs: %s" % sorted(
        (a["area"], x["lsId"], x["metric"], x["age"])
        for a in wp(lab, "show ip ospf database")["areas"]
        for x in a["lsas"] if x["type"] == 3))
    out.append("r1 router LSAs: %s" % sorted(
        (a["area"], x["lsId"], x.get("seq"), x["age"])
        for a in wp(lab, "show ip ospf database")["areas"]
        for x in a["lsas"] if x["type"] == 1))
    out.append("r1 own router LSAs: %s" % json.dumps(wp(
        lab, "show ip ospf database router self-originate")))
    out.append("f2 router LSA on r1: %s" % json.dumps(wp(
        lab, "show ip ospf database router adv-router %s" % F2)))
    out.append("r1 spf: %s" % {k: v for k, v in wp(
        lab, "show ip ospf").items() if "spf" in k.lower()})
    out.append("f1 routes: %s" % sorted(
        lab.frr_json("f1", "show ip ospf route")))
    out.append("r1 log: %s" % [x for x in lab.logs("r1").splitlines()
                               if "our own" in x or "flush" in x])
    return "; ".join(out)


def test_summaries_withdrawn_and_back(lab):
    wait_until(lambda: frr_route(lab, "f1", F2 + "/32") is not None,
               timeout=30, what="f1 has f2's loopback")
    lab.exec("f2", "ip link set eth1 down")
    try:
        wait_until(lambda: frr_route(lab, "f1", F2 + "/32") is None,
                   timeout=20, what="f1 loses f2's loopback")
        wait_until(lambda: not lab.has_route("f1", F2 + "/32"),
                   timeout=20, what="gone from f1's FIB")
    finally:
        lab.exec("f2", "ip link set eth1 up")
    # Back up, f2 and r1 first wait for a Hello (10 s apart), then run
    # the exchange; 30 s was once not enough under a loaded full run.
    try:
        wait_until(lambda: (frr_route(lab, "f1", F2 + "/32") or {}).get(
            "cost") == 20, timeout=60, what="f2's loopback back on f1")
    except AssertionError as e:
        raise AssertionError("%s; %s" % (e, _story(lab))) from e
