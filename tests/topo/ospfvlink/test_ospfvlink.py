"""OSPF virtual links (RFC 2328 §15): ospfd (r1) and FRR 8.4 (r2), both
area border routers of transit area 1, join area 2 -- attached to the
rest only through area 1 -- to the backbone (topologies/vlink).  The
link's packets are routed through t1, two hops.  Asserts:

- the virtual-link adjacency is Full on both sides;
- r1's backbone router-LSA carries a virtual link (type 4) at the cost
  of the transit path, and its area-1 router-LSA the V-bit (§12.4.1);
- area 2's prefixes reach the kernel FIBs of the backbone routers, r1
  (first hop in the transit area) and a0 (FRR, via r1), and r1 does not
  summarise them back into the transit area (§12.4.3);
- removing the virtual link on r1 withdraws them; adding it back (in
  the words FRR writes) brings them back, and mgmtd's running
  configuration has the line as typed;
- MD5 on the virtual link: refused while only r1 has it, Full with the
  same key on both ends.

Hello 1 s / dead 4 s on every link and the virtual link."""

import os

import pytest

from lablib.fixtures import lab_fixture
from lablib.harness import require_frr, require_waypoint, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "vlink")

A0, R1, T1, R2, A2 = ("10.255.0.1", "10.255.0.2", "10.255.0.3",
                      "10.255.0.4", "10.255.0.5")
AREA2 = ("10.255.0.5/32", "10.0.34.0/24")
# As FRR writes it in its running configuration.
VLINK = ("area 1 virtual-link 10.255.0.4 hello-interval 1 "
         "retransmit-interval 5 transmit-delay 1 dead-interval 4")


lab = lab_fixture(TOPO, requires=lambda: (require_frr("ospfd"),
                                          require_waypoint("ospfd")))


def wp(lab, cmd):
    return lab.wp_json("r1", cmd, daemon="ospfd")


def wp_vlink_nbr(lab):
    """r1's neighbour R2 on its virtual link, or None."""
    for n in wp(lab, "show ip ospf neighbor")["neighbors"]:
        if n["routerId"] == R2 and n["interface"].startswith("VLINK"):
            return n
    return None


def frr_vlink_nbr(lab):
    """r2's (FRR) neighbour R1 on its virtual link, or None."""
    for n in lab.frr_json("r2", "show ip ospf neighbor")["neighbors"].get(
            R1, []):
        if n["ifaceName"].startswith("VLINK"):
            return n
    return None


def vlink_full(lab):
    w, f = wp_vlink_nbr(lab), frr_vlink_nbr(lab)
    return (w is not None and w["state"] == "Full" and f is not None and
            f["state"].startswith("Full"))


def area2_routed(lab):
    return all(lab.route(n, p) is not None
               for n in ("r1", "a0") for p in AREA2)


@pytest.fixture
def full(lab):
    wait_until(lambda: vlink_full(lab), timeout=60,
               what="virtual link r1 <-> r2 Full on both sides")
    return lab


def router_lsa(lab, node, area, adv):
    db = lab.frr_json(node, "show ip ospf database router %s" % adv)
    lsas = db["routerLinkStates"]["areas"].get(area, [])
    return lsas[0] if lsas else None


def test_vlink_full(full):
    """Both ends see each other Full on their virtual link, in area 0,
    at the address of the other's interface in the transit area."""
    w = wp_vlink_nbr(full)
    assert w["area"] == "0.0.0.0"
    assert w["address"] == "10.0.23.4"
    f = frr_vlink_nbr(full)
    assert f["ifaceAddress"] == "10.0.12.2"
    # The virtual link is an interface of the backbone, cost 20: the
    # path r1 - t1 - r2 through area 1.
    ifs = {i["name"]: i for i in wp(full, "show ip ospf interface")[
        "interfaces"]}
    vl = [i for n, i in ifs.items() if n.startswith("VLINK")]
    assert len(vl) == 1
    assert vl[0]["area"] == "0.0.0.0"
    assert vl[0]["cost"] == 20
    assert vl[0]["virtualLink"] == {
        "neighbor": R2, "transitArea": "0.0.0.1",
        "neighborAddress": "10.0.23.4", "via": "eth2"}
    text = full.wp_cmd("r1", "show ip ospf interface %s" % vl[0]["name"],
                       daemon="ospfd")
    assert ("Virtual link to 10.255.0.4 through area 0.0.0.1, neighbor "
            "address 10.0.23.4 via eth2") in text, text


def test_router_lsas(full):
    """r1's backbone router-LSA (as a0 holds it) has a virtual link to r2
    at cost 20; its area-1 router-LSA (as t1 holds it) the V-bit."""
    def vlink_link():
        lsa = router_lsa(full, "a0", "0.0.0.0", R1)
        if lsa is None:
            return None
        for link in lsa["routerLinks"].values():
            if link["linkType"] == "a Virtual Link":
                return link
        return None
    wait_until(vlink_link, timeout=20, what="a0: r1's virtual link")
    link = vlink_link()
    assert link["neighborRouterId"] == R2
    assert link["routerInterfaceAddress"] == "10.0.12.2"
    assert link["tos0Metric"] == 20
    wait_until(lambda: router_lsa(full, "t1", "0.0.0.1", R1).get(
        "vlEndpoint"), timeout=20, what="t1: r1's V-bit in area 1")


def test_area2_reaches_backbone(full):
    """Area 2's networks are in the backbone routers' kernels: r1 routes
    them into the transit area (t1), a0 via r1."""
    wait_until(lambda: area2_routed(full), timeout=30,
               what="area 2 prefixes in r1's and a0's kernels")
    for p in AREA2:
        assert full.route("r1", p)["gateway"] == "10.0.12.3"
        assert full.route("a0", p)["gateway"] == "10.0.1.2"
    rt = full.frr_json("a0", "show ip ospf route")
    # a0 -10- r1, then r2's summary over the virtual link: 10 + 20 + 10.
    assert rt["10.255.0.5/32"]["routeType"] == "N IA"
    assert rt["10.255.0.5/32"]["cost"] == 40


def test_split_horizon(full):
    """r1 reaches area 2 through area 1 and so does not summarise those
    routes back into area 1 (§12.4.3); area 1 has them from r2 only, and
    from r1 the backbone's own (a0's loopback)."""
    def summaries():
        a = full.frr_json("t1", "show ip ospf database")["areas"].get(
            "0.0.0.1", {})
        return {(x["lsId"], x["advertisedRouter"])
                for x in a.get("summaryLinkStates", [])
                if x.get("lsaAge", 0) < 3600}
    wait_until(lambda: ("10.255.0.1", R1) in summaries() and
               ("10.255.0.5", R2) in summaries(), timeout=30,
               what="t1: a0's loopback from r1, a2's from r2")
    assert ("10.255.0.5", R1) not in summaries()
    assert ("10.0.34.0", R1) not in summaries()


def test_vlink_removal_withdraws(full):
    """Without the virtual link area 2 has no way into the backbone: r1
    and a0 lose its prefixes (t1, in area 1, keeps them); with the link
    back they return."""
    wait_until(lambda: area2_routed(full), timeout=30,
               what="area 2 prefixes before")
    full.wp_configure("r1", "router ospf",
                      "no area 1 virtual-link 10.255.0.4")
    try:
        def gone():
            f = frr_vlink_nbr(full)
            return wp_vlink_nbr(full) is None and (
                f is None or not f["state"].startswith("Full"))
        wait_until(gone, timeout=30, what="virtual link down on both sides")
        for node in ("r1", "a0"):
            for p in AREA2:
                wait_until(lambda: full.route(node, p) is None,
                           timeout=30, what="%s: %s withdrawn" % (node, p))
        assert full.route("t1", "10.255.0.5/32") is not None
    finally:
        full.wp_configure("r1", "router ospf", VLINK)
    wait_until(lambda: vlink_full(full), timeout=60,
               what="virtual link Full again")
    wait_until(lambda: area2_routed(full), timeout=30,
               what="area 2 prefixes back")
    # mgmtd writes the line back as typed (and as FRR writes it).
    text = full.wp_cmd("r1", "show running-config", daemon="mgmtd")
    assert " " + VLINK + "\n" in text, text


def vlink_iface(lab):
    for i in wp(lab, "show ip ospf interface")["interfaces"]:
        if i["name"].startswith("VLINK"):
            return i
    return None


def test_vlink_md5(full):
    """MD5 on the virtual link (FRR's words): with keys on r1 only, r2's
    packets are dropped on the link as an authentication type mismatch
    and the adjacency goes; with the same key on r2 it is Full again and
    area 2 is routed.  Last: the lab keeps the keys."""
    full.wp_configure(
        "r1", "router ospf",
        "area 1 virtual-link 10.255.0.4 authentication message-digest",
        "area 1 virtual-link 10.255.0.4 message-digest-key 1 md5 vlkey")

    def refused():
        i = vlink_iface(full)
        return (i is not None and i["authentication"] == "message-digest"
                and i["droppedByReason"].get(
                    "authentication type mismatch", 0) > 0
                and not vlink_full(full))
    wait_until(refused, timeout=30,
               what="r1: r2's null-authenticated packets refused")
    full.frr_configure(
        "r2", "router ospf",
        "area 1 virtual-link 10.255.0.2 authentication message-digest",
        "area 1 virtual-link 10.255.0.2 message-digest-key 1 md5 vlkey")
    wait_until(lambda: vlink_full(full), timeout=60,
               what="virtual link Full with MD5 on both sides")
    wait_until(lambda: area2_routed(full), timeout=30,
               what="area 2 prefixes with MD5")
    text = full.wp_cmd("r1", "show running-config", daemon="mgmtd")
    assert (" area 1 virtual-link 10.255.0.4 authentication message-digest\n"
            " area 1 virtual-link 10.255.0.4 message-digest-key 1 md5 vlkey\n"
            ) in text, text
