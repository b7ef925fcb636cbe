"""Key chains for a whole area and on a virtual link (Waypoint only).

topologies/ogr2kc (lab ``ogr2kc``): r1 -- r2 in area 0, r2 -- r3 in
area 1, r3's loopback in area 2; r3 reaches the backbone only through
the virtual link r2 -- r3 across area 1.  r2 and r3 set
``area 1 authentication key-chain AREA`` (hmac-sha-256) and nothing on
their area 1 interfaces, and ``area 1 virtual-link ... authentication
key-chain VL`` (hmac-sha-512).  FRR 8.4 has neither command, so both ends
are Waypoint.  What is asserted:

* the area 1 interfaces take the area's key chain, the virtual links
  their own (``show ip ospf interface json``: ``keyChain``,
  ``sendKeyId``, ``sendKeyAlgorithm``), nothing is dropped for
  authentication, and r1's kernel has r3's loopback (through the
  virtual link: no other path into the backbone);
* a wrong key string in r3's chain VL: r2 counts authentication failures
  on the virtual link, the link goes and r3's loopback leaves r1's
  kernel; the right key brings it back;
* the same with r3's chain AREA, for the area 1 interface.
"""

import os

from lablib.fixtures import lab_fixture
from lablib.harness import require_waypoint, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "ogr2kc")
R2, R3 = "10.255.0.2", "10.255.0.3"
AUTH_FAIL = "authentication failure"


lab = lab_fixture(TOPO, requires=lambda: require_waypoint("ribd", "ospfd"))


def ifaces(lab, node):
    return {i["name"]: i for i in lab.wp_json(
        node, "show ip ospf interface", daemon="ospfd")["interfaces"]}


def vlink(lab, node):
    return [i for i in ifaces(lab, node).values() if "virtualLink" in i][0]


def auth_failures(iface):
    return iface["droppedByReason"].get(AUTH_FAIL, 0)


def full(lab, node, rid, vl):
    js = lab.wp_json(node, "show ip ospf neighbor", daemon="ospfd")
    return any(n["routerId"] == rid and n["state"] == "Full" and
               n["interface"].startswith("VLINK") == vl
               for n in js["neighbors"])


def r3_reached(lab):
    return lab.has_route("r1", R3 + "/32", via="10.0.12.2")


def converged(lab):
    wait_until(lambda: full(lab, "r2", R3, False) and full(lab, "r2", R3, True)
               and full(lab, "r3", R2, True), timeout=40,
               what="r2-r3 Full on eth2 and on the virtual link")
    wait_until(lambda: r3_reached(lab), timeout=30,
               what="r3's loopback in r1's kernel")


def test_area_and_vlink_key_chains(lab):
    converged(lab)
    for node in ("r2", "r3"):
        ifs = ifaces(lab, node)
        e = ifs["eth2" if node == "r2" else "eth1"]
        assert (e["authentication"], e["keyChain"], e["sendKeyId"],
                e["sendKeyAlgorithm"]) == ("message-digest", "AREA", 1,
                                           "hmac-sha-256"), e
        v = vlink(lab, node)
        assert (v["authentication"], v["keyChain"], v["sendKeyId"],
                v["sendKeyAlgorithm"]) == ("message-digest", "VL", 3,
                                           "hmac-sha-512"), v
        assert auth_failures(e) == 0 and auth_failures(v) == 0
    # The backbone link has none.
    assert "keyChain" not in ifaces(lab, "r2")["eth1"]


def wrong_key(lab, chain, key, right, where):
    """r3's key KEY of CHAIN made wrong: r2 refuses r3's packets on WHERE
    (a function of r2's interfaces) and r3's loopback leaves r1; then
    the right key string again."""
    converged(lab)
    before = auth_failures(where(lab))
    lab.wp_configure("r3", "key chain " + chain, "key %d" % key,
                     "key-string wrong-secret")
    try:
        wait_until(lambda: auth_failures(where(lab)) > before and
                   not full(lab, "r2", R3, True), timeout=20,
                   what="r3's packets refused on r2, virtual link down")
        wait_until(lambda: not r3_reached(lab), timeout=20,
                   what="r3's loopback leaves r1's kernel")
    finally:
        lab.wp_configure("r3", "key chain " + chain, "key %d" % key,
                         "key-string " + right)
    converged(lab)


def test_wrong_vlink_key(lab):
    wrong_key(lab, "VL", 3, "vlink-secret", lambda lab: vlink(lab, "r2"))
    # The area 1 interface was not concerned.
    assert full(lab, "r2", R3, False)


def test_wrong_area_key(lab):
    wrong_key(lab, "AREA", 1, "area-one-secret",
              lambda lab: ifaces(lab, "r2")["eth2"])
