"""ospfd against BIRD 2 across areas (topologies/obird): Waypoint r1 is
the area border router between BIRD b1 in the backbone (keyed MD5 on
the link, an AS-external route of its own), BIRD b2 in a stub area and
BIRD b3 in an NSSA (an NSSA external route of its own, which r1
translates into the backbone).

Asserted on both sides: the adjacencies (ours and BIRD's neighbour
tables), each area's LSDB as BIRD holds it (no type-5 in the stub area
or the NSSA, the stub area's default summary, the translated type-5 in
the backbone), our routes and every namespace's kernel FIB, and that a
wrong MD5 key takes the backbone adjacency down on both sides (counted
by our adjacency doctor) until the right one is back.
"""

import os
import re

import pytest

from lablib.harness import module_lab, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "obird")

R1, B1, B2, B3 = "10.255.0.1", "10.255.0.11", "10.255.0.12", "10.255.0.13"
EXT_B1, EXT_B3 = "192.168.50.0/24", "192.168.70.0/24"
KEY = "wp-bird-md5"                 # as in r1.conf and b1.conf
VIA = {"b1": ("10.0.11.1", "10.0.11.11", "eth1"),    # r1 side, BIRD side
       "b2": ("10.0.12.1", "10.0.12.12", "eth2"),
       "b3": ("10.0.13.1", "10.0.13.13", "eth3")}


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd", "ribd"), bird=True)


def wp(lab, cmd):
    return lab.wp_json("r1", cmd, daemon="ospfd")


def our_nbrs(lab):
    return {n["routerId"]: n["state"]
            for n in wp(lab, "show ip ospf neighbor")["neighbors"]}


def bird_full(lab, node):
    """True if BIRD node NODE has r1 as a Full neighbour."""
    for line in lab.bird_cmd(node, "show ospf neighbors").splitlines():
        f = line.split()
        if len(f) >= 3 and f[0] == R1:
            return f[2].startswith("Full")
    return False


def all_full(lab):
    ours = our_nbrs(lab)
    return (all(ours.get(b, "").startswith("Full") for b in (B1, B2, B3))
            and all(bird_full(lab, n) for n in ("b1", "b2", "b3")))


def bird_lsdb(lab, node):
    """{area or 'global': {(type, LS ID, advertising router)}} of NODE."""
    out, cur = {}, None
    for line in lab.bird_cmd(node, "show ospf lsadb").splitlines():
        s = line.strip()
        m = re.match(r"^Area (\S+)$", s)
        if m or s == "Global":
            cur = m.group(1) if m else "global"
            out[cur] = set()
            continue
        f = s.split()
        if cur and len(f) == 6 and re.match(r"^[0-9a-f]{4}$", f[0]) \
                and int(f[4]) < 3600:
            out[cur].add((int(f[0], 16), f[1], f[2]))
    return out


def types(lsdb, area):
    return {t for t, _, _ in lsdb.get(area, set())}


def fib(lab, node, prefix):
    """{(gateway, dev)} of PREFIX in NODE's kernel FIB (empty: none)."""
    names = {prefix, prefix[:-3] if prefix.endswith("/32") else prefix}
    if prefix == "0.0.0.0/0":
        names.add("default")
    out = set()
    for r in lab.json(node, ["ip", "-j", "route", "show", "exact", prefix]):
        if r.get("dst") in names:
            out.add((r.get("gateway"), r.get("dev")))
    return out


def test_adjacencies_full(lab):
    wait_until(lambda: all_full(lab), timeout=40,
               what="r1 Full with b1, b2, b3 on both sides")
    auth = wp(lab, "show ip ospf interface eth1")["interfaces"][0]
    assert auth["authentication"] == "message-digest"


def test_stub_area(lab):
    """b2 (stub area): our default summary, no AS-external LSAs, and the
    rest of the network through r1."""
    wait_until(lambda: all_full(lab), timeout=40, what="adjacencies")
    wait_until(lambda: (3, "0.0.0.0", R1) in
               bird_lsdb(lab, "b2").get("0.0.0.1", set()),
               timeout=20, what="b2 has r1's default summary")
    db = bird_lsdb(lab, "b2")
    assert set(db) == {"0.0.0.1"}, "b2 holds LSAs outside its area: %s" % db
    assert types(db, "0.0.0.1") == {1, 3}
    wait_until(lambda: fib(lab, "b2", "0.0.0.0/0") ==
               {(VIA["b2"][0], "eth1")}, timeout=20,
               what="b2's kernel routes the default via r1")
    for pfx in (B1 + "/32", B3 + "/32"):
        wait_until(lambda: fib(lab, "b2", pfx) == {(VIA["b2"][0], "eth1")},
                   timeout=20, what="b2 reaches %s via r1" % pfx)
    assert not fib(lab, "b2", EXT_B1)     # externals stay out


def test_nssa_translated(lab):
    """b3's type-7 reaches the backbone as r1's type-5, and b1's type-5
    stays out of the NSSA."""
    wait_until(lambda: all_full(lab), timeout=40, what="adjacencies")
    wait_until(lambda: (5, "192.168.70.0", R1) in
               bird_lsdb(lab, "b1").get("global", set()),
               timeout=20, what="b1 has r1's translation of b3's type-7")
    db3 = bird_lsdb(lab, "b3")
    assert 7 in types(db3, "0.0.0.2")
    assert "global" not in db3 and 5 not in types(db3, "0.0.0.2")
    ext = {(x["lsId"], x["advRouter"])
           for x in wp(lab, "show ip ospf database")["asExternal"]}
    assert ("192.168.70.0", R1) in ext
    # Kernel FIBs: r1 via b3, b1 via r1.
    wait_until(lambda: fib(lab, "r1", EXT_B3) == {(VIA["b3"][1], "eth3")},
               timeout=20, what="r1's kernel routes b3's external via b3")
    wait_until(lambda: fib(lab, "b1", EXT_B3) == {(VIA["b1"][0], "eth1")},
               timeout=20, what="b1's kernel routes b3's external via r1")
    assert not fib(lab, "b3", EXT_B1)


def test_backbone_external(lab):
    wait_until(lambda: all_full(lab), timeout=40, what="adjacencies")
    wait_until(lambda: fib(lab, "r1", EXT_B1) == {(VIA["b1"][1], "eth1")},
               timeout=20, what="r1's kernel routes b1's external via b1")
    route = [r for r in wp(lab, "show ip ospf route")["routes"]
             if r["prefix"] == EXT_B1]
    assert route and route[0]["nexthops"] == [
        {"ip": VIA["b1"][1], "interface": "eth1"}]
    # The loopbacks of the other areas reach b1 through r1 (type-3s).
    for pfx in (B2 + "/32", B3 + "/32"):
        wait_until(lambda: fib(lab, "b1", pfx) == {(VIA["b1"][0], "eth1")},
                   timeout=20, what="b1 reaches %s via r1" % pfx)
    assert lab.ping("b1", B2) and lab.ping("b3", B1)


def test_wrong_md5_key(lab):
    """A key BIRD does not share takes the backbone adjacency down on
    both sides, our doctor says why; the right key brings it back."""
    wait_until(lambda: all_full(lab), timeout=40, what="adjacencies")
    lab.wp_configure("r1", "interface eth1",
                     "ip ospf message-digest-key 1 md5 not-the-key")
    try:
        wait_until(lambda: B1 not in our_nbrs(lab) and
                   not bird_full(lab, "b1"), timeout=30,
                   what="the backbone adjacency gone on both sides")
        ifc = wp(lab, "show ip ospf interface eth1")["interfaces"][0]
        assert ifc["dropped"] > 0
        assert any("auth" in k.lower() for k in ifc["droppedByReason"]), \
            ifc["droppedByReason"]
        # b2 and b3 do not care.
        assert our_nbrs(lab).get(B2, "").startswith("Full")
    finally:
        lab.wp_configure("r1", "interface eth1",
                         "ip ospf message-digest-key 1 md5 %s" % KEY)
    wait_until(lambda: all_full(lab), timeout=40,
               what="Full again with the right key")
    wait_until(lambda: fib(lab, "r1", EXT_B1) == {(VIA["b1"][1], "eth1")},
               timeout=20, what="b1's external back in r1's kernel")
