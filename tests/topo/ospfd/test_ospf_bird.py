"""ospfd against BIRD 2 in network namespaces (topologies/ospf-bird): a
point-to-point link and a LAN where BIRD is DR.  Both sides' neighbour
views, the LSDB (LSA set, sequence numbers, checksums), our routing
table and our kernel FIB (through ribd, at the configured `distance
115`), and BIRD's kernel FIB."""

import os
import re

import pytest

import ospf_fib as fib
from lablib.harness import module_lab, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "ospf-bird")

R1, B1 = "10.255.0.1", "10.255.0.9"


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd",), bird=True)


def wp(lab, cmd):
    return lab.wp_json("r1", cmd, daemon="ospfd")


def our_nbrs(lab):
    return {(n["routerId"], n["interface"]): n["stateRole"]
            for n in wp(lab, "show ip ospf neighbor")["neighbors"]}


def bird_nbrs(lab):
    """{(router ID, interface): state} from `show ospf neighbors`."""
    out = {}
    for line in lab.bird_cmd("b1", "show ospf neighbors").splitlines():
        f = line.split()
        if len(f) >= 6 and re.match(r"^\d+\.\d+\.\d+\.\d+$", f[0]):
            out[(f[0], f[4])] = f[2]
    return out


def full(lab):
    ours = our_nbrs(lab)
    bird = bird_nbrs(lab)
    return (ours.get((B1, "eth1")) == "Full/-" and
            ours.get((B1, "eth2")) == "Full/DR" and
            bird.get((R1, "eth1")) == "Full/PtP" and
            bird.get((R1, "eth2")) == "Full/BDR")


def our_lsdb(lab):
    out = set()
    for area in wp(lab, "show ip ospf database")["areas"]:
        for lsa in area["lsas"]:
            if lsa["age"] < 3600:
                out.add((lsa["type"], lsa["lsId"], lsa["advRouter"],
                         int(lsa["sequence"], 16),
                         int(lsa["checksum"], 16)))
    return out


def bird_lsdb(lab):
    out = set()
    for line in lab.bird_cmd("b1", "show ospf lsadb").splitlines():
        f = line.split()
        if len(f) == 6 and re.match(r"^[0-9a-f]{4}$", f[0]):
            if int(f[4]) < 3600:
                out.add((int(f[0], 16), f[1], f[2], int(f[3], 16),
                         int(f[5], 16)))
    return out


def test_adjacencies_full(lab):
    wait_until(lambda: full(lab), timeout=40,
               what="Full on the p2p link and the LAN, both sides")


def test_lsdb_agrees(lab):
    wait_until(lambda: full(lab), timeout=30, what="adjacencies")
    wait_until(lambda: our_lsdb(lab) == bird_lsdb(lab) and our_lsdb(lab),
               timeout=20, what="LSDBs agree")
    keys = {(t, i, a) for t, i, a, _, _ in our_lsdb(lab)}
    assert keys == {(1, R1, R1), (1, B1, B1), (2, "10.0.113.9", B1)}


def test_routes(lab):
    wait_until(lambda: full(lab), timeout=30, what="adjacencies")

    def route(prefix):
        for r in wp(lab, "show ip ospf route")["routes"]:
            if r["prefix"] == prefix:
                return r
        return None
    wait_until(lambda: route(B1 + "/32") is not None, timeout=20,
               what="BIRD's loopback in our table")
    r = route(B1 + "/32")
    assert r["cost"] == 10
    assert r["nexthops"] == [{"ip": "10.0.13.9", "interface": "eth1"}]
    fib.wait_fib(lab, "r1", B1 + "/32", {("10.0.13.9", "eth1")})
    wait_until(lambda: route(B1 + "/32")["fib"] == "installed", timeout=20,
               what="ospfd reports BIRD's loopback installed")
    rib = lab.wp_json("r1", "show ip route")[B1 + "/32"][0]
    assert rib["protocol"] == "ospf" and rib["distance"] == 115
    assert rib["metric"] == 10
    assert fib.rib_session(lab, "r1")["distance"] == 115
    assert lab.ping("r1", B1)
    wait_until(lambda: lab.has_route("b1", R1 + "/32", via="10.0.13.1",
                                     protocol="bird"),
               timeout=20, what="BIRD installs our loopback")
    assert lab.ping("b1", R1)
