"""ospfd's policy as an area border router, against FRR 8.4
(topologies/opf): r1 (Waypoint) between area 0 (f0, itself an ABR to
area 2) and area 1 (f1, an ASBR).

- `distance ospf intra-area 90 external 150`: ribd holds r1's intra-area,
  inter-area and external routes at 90, 110 and 150 (`show ip route
  json`), and a vtysh commit of `distance ospf inter-area 95` sends them
  again at 110, 95 and 110;
- `area 1 filter-list prefix NAME out`: the type-3s r1 originates from
  area 1's routes into area 0 follow the prefix list, in f0's LSDB, its
  routing table and its kernel FIB, through commits of the prefix list;
- `area 1 filter-list prefix NAME in`: the type-3s r1 originates into
  area 1, as f1 sees them.
- `area 1 range 10.31.0.0/16`: r1's kernel has a blackhole for it (ribd:
  distance 254) while the range is advertised, none with `not-advertise`
  or without the range.

Hello 1 s / dead 4 s: the module runs in well under a minute."""

import os

import pytest

from lablib.harness import module_lab, wait_for, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "opf")

R1, F0, F1 = "10.255.0.1", "10.255.0.2", "10.255.0.3"
# FRR announces loopback addresses as host routes.
INTRA0 = "10.255.0.2/32"        # f0's loopback, area 0
INTRA1 = "10.31.1.1/32"         # f1's, area 1
INTRA1B = "10.31.2.1/32"
INTER = "10.52.0.0/24"          # f0's area 2, summarised by f0
EXT = "10.77.0.0/16"            # f1's static, redistributed


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd", "ribd"), frr=("ospfd",))




def r1_ospf_distances(lab):
    """{prefix: distance} of r1's OSPF routes in ribd, installed."""
    out = {}
    for p, routes in lab.wp_json("r1", "show ip route").items():
        for r in routes:
            if r["protocol"] == "ospf" and r["selected"] and r["installed"]:
                out[p] = r["distance"]
    return out


def wait_distances(lab, want):
    def check():
        got = r1_ospf_distances(lab)
        bad = {p: got.get(p) for p in want if got.get(p) != want[p]}
        return dict(bad, all=got) if bad else {}
    wait_for(check, "r1's ribd holds %r" % want)


def test_distance_per_type(lab):
    wait_distances(lab, {INTRA0: 90, INTRA1: 90, INTER: 110, EXT: 150})
    # ospfd's own view of it, and the kernel has them all.
    rib = lab.wp_json("r1", "show ip ospf", daemon="ospfd")["rib"]
    assert (rib["distance"], rib["distanceIntraArea"],
            rib["distanceInterArea"], rib["distanceExternal"]) == (
                110, 90, 110, 150), rib
    for p in (INTRA0, INTRA1, INTER, EXT):
        assert lab.route("r1", p) is not None, p
    types = {r["prefix"]: r["pathType"] for r in lab.wp_json(
        "r1", "show ip ospf route", daemon="ospfd")["routes"]}
    assert (types[INTRA0], types[INTRA1], types[INTER], types[EXT]) == (
        "intra-area", "intra-area", "inter-area", "external-2"), types
    # A commit replaces the line as a whole: what it leaves out is back
    # to `distance` (110).
    lab.wp_configure("r1", "router ospf", "distance ospf inter-area 95")
    wait_distances(lab, {INTRA0: 110, INTRA1: 110, INTER: 95, EXT: 110})
    lab.wp_configure("r1", "router ospf", "distance 100",
                     "distance ospf intra-area 90 external 150")
    wait_distances(lab, {INTRA0: 90, INTRA1: 90, INTER: 100, EXT: 150})
    lab.wp_configure("r1", "router ospf", "no distance")
    wait_distances(lab, {INTRA0: 90, INTRA1: 90, INTER: 110, EXT: 150})


def summaries(lab, node, area):
    """{prefix-less link state ID} of r1's live type-3s in NODE's area."""
    a = lab.frr_json(node, "show ip ospf database")["areas"].get(area, {})
    return {s["lsId"] for s in a.get("summaryLinkStates", [])
            if s["advertisedRouter"] == R1 and s.get("lsaAge", 0) < 3600}


def frr_has(lab, node, prefix):
    """NODE's OSPF route for PREFIX: in its table (selected) and its
    kernel FIB."""
    sel = any(r.get("protocol") == "ospf" and r.get("selected")
              for r in lab.frr_json(node, "show ip route %s" % prefix).get(
                  prefix, []))
    k = lab.route(node, prefix)
    return sel and k is not None and k.get("protocol") == "ospf"


def wait_summaries(lab, node, area, want, absent):
    """r1's type-3s for WANT in NODE's LSDB, routed there (table and
    kernel); none for ABSENT, and no route to them."""
    def check():
        sums = summaries(lab, node, area)
        bad = {}
        for p in want:
            if p.split("/")[0] not in sums or not frr_has(lab, node, p):
                bad[p] = "missing"
        for p in absent:
            if p.split("/")[0] in sums or frr_has(lab, node, p) or \
                    lab.route(node, p) is not None:
                bad[p] = "present"
        return bad
    wait_for(check, "%s: %s summarised, %s not" % (node, want, absent))


def test_filter_list_out(lab):
    both = (INTRA1, INTRA1B)
    wait_summaries(lab, "f0", "0.0.0.0", both, ())
    lab.wp_configure("r1", "ip prefix-list F1OUT seq 5 deny %s" % INTRA1B,
                     "ip prefix-list F1OUT seq 10 permit 0.0.0.0/0 le 32",
                     "router ospf", "area 1 filter-list prefix F1OUT out")
    wait_summaries(lab, "f0", "0.0.0.0", (INTRA1, "10.255.0.3/32"),
                   (INTRA1B,))
    # The prefix list changes: the summaries follow.
    lab.wp_configure("r1", "ip prefix-list F1OUT seq 5 deny %s" % INTRA1)
    wait_summaries(lab, "f0", "0.0.0.0", (INTRA1B,), (INTRA1,))
    hits = lab.wp_json("r1", "show ip prefix-list F1OUT", daemon="ospfd")
    assert hits["F1OUT"]["entries"][0]["hitCount"] > 0, hits
    # Area 0's routes into area 1 went through no filter.
    wait_summaries(lab, "f1", "0.0.0.1", (INTRA0, INTER), ())
    lab.wp_configure("r1", "router ospf",
                     "no area 1 filter-list prefix F1OUT out")
    wait_summaries(lab, "f0", "0.0.0.0", both, ())


def test_filter_list_in(lab):
    wait_summaries(lab, "f1", "0.0.0.1", (INTER, INTRA0), ())
    lab.wp_configure("r1", "ip prefix-list F1IN seq 5 permit 10.52.0.0/16 "
                     "le 32", "router ospf",
                     "area 1 filter-list prefix F1IN in")
    wait_summaries(lab, "f1", "0.0.0.1", (INTER,),
                   (INTRA0, "10.0.10.0/24"))
    # Area 1's routes still reach area 0.
    wait_summaries(lab, "f0", "0.0.0.0", (INTRA1, INTRA1B), ())
    # An undefined list filters nothing (FRR's behaviour).
    lab.wp_configure("r1", "no ip prefix-list F1IN")
    wait_summaries(lab, "f1", "0.0.0.1", (INTER, INTRA0, "10.0.10.0/24"),
                   ())
    lab.wp_configure("r1", "router ospf",
                     "no area 1 filter-list prefix F1IN in")


RANGE = "10.31.0.0/16"


def discard_state(lab):
    """What r1 has for RANGE: (kernel type or None, ribd's OSPF route's
    distance or None)."""
    k = lab.route("r1", RANGE)
    rib = [r for r in lab.wp_json("r1", "show ip route").get(RANGE, [])
           if r["protocol"] == "ospf" and r["installed"]]
    return (k.get("type", "unicast") if k else None,
            rib[0]["distance"] if rib else None)


def test_range_discard(lab):
    wait_summaries(lab, "f0", "0.0.0.0", (INTRA1, INTRA1B), (RANGE,))
    assert discard_state(lab) == (None, None)
    lab.wp_configure("r1", "router ospf", "area 1 range %s" % RANGE)
    # f0 sees the range instead of the two, r1 drops what the range
    # covers and no route does.
    wait_summaries(lab, "f0", "0.0.0.0", (RANGE,), (INTRA1, INTRA1B))
    wait_until(lambda: discard_state(lab) == ("blackhole", 254),
               timeout=20, what="r1: blackhole for the range at 254")
    assert lab.wp_json("r1", "show ip ospf", daemon="ospfd")["rib"][
        "discards"] == 1
    # The more specific routes stay as they were.
    for p in (INTRA1, INTRA1B):
        assert lab.route("r1", p)["gateway"] == "10.0.11.3", p
    # not-advertise: no summary, so no discard route either.
    lab.wp_configure("r1", "router ospf",
                     "area 1 range %s not-advertise" % RANGE)
    wait_summaries(lab, "f0", "0.0.0.0", (), (RANGE, INTRA1, INTRA1B))
    wait_until(lambda: discard_state(lab) == (None, None), timeout=20,
               what="r1: the discard route withdrawn")
    lab.wp_configure("r1", "router ospf", "no area 1 range %s" % RANGE)
    wait_summaries(lab, "f0", "0.0.0.0", (INTRA1, INTRA1B), (RANGE,))
    assert discard_state(lab) == (None, None)
