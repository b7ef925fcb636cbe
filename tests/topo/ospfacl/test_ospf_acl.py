"""ospfd's access lists against FRR 8.4 (topologies/oacl): r1 (Waypoint)
an area border router between area 0 (f0, itself an ABR to area 2) and
area 1 (f1), and an AS boundary router for its static routes.

- `area 1 export-list NAME`: the type-3s r1 originates from area 1's
  routes into area 0 follow the access list, in f0's LSDB, its routing
  table and its kernel FIB, through vtysh commits of the access list;
- `area 1 import-list NAME`: the type-3s r1 originates into area 1, as
  f1 sees them; an undefined list filters nothing;
- `distribute-list NAME out static`: r1's AS-external-LSAs for its
  static routes follow the access list, as f0 sees them; an undefined
  list denies them all;
- `match ip address NAME` in the `redistribute static` route map.

Hello 1 s / dead 4 s: the module runs in well under a minute."""

import json
import os

import pytest

from lablib.harness import module_lab, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "oacl")
SCHEMA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "doc",
                                       "schema", "lib-show-access-list.json"))

R1 = "10.255.0.1"
# FRR announces loopback addresses as host routes.
INTRA0 = "10.255.0.2/32"        # f0's loopback, area 0
INTRA1 = "10.31.1.1/32"         # f1's, area 1
INTRA1B = "10.31.2.1/32"
INTER = "10.52.0.0/24"          # f0's area 2, summarised by f0
STAT1 = "10.88.1.0/24"          # r1's static routes, redistributed
STAT2 = "10.88.2.0/24"


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd", "ribd"), frr=("ospfd",))




def summaries(lab, node, area):
    """{link state ID} of r1's live type-3s in NODE's area."""
    a = lab.frr_json(node, "show ip ospf database")["areas"].get(area, {})
    return {s["lsId"] for s in a.get("summaryLinkStates", [])
            if s["advertisedRouter"] == R1 and s.get("lsaAge", 0) < 3600}


def externals(lab, node):
    """{prefix} of r1's live AS-external-LSAs in NODE's database."""
    js = lab.frr_json(node, "show ip ospf database external")
    return {"%s/%d" % (l["linkStateId"], l["networkMask"])
            for l in js.get("asExternalLinkStates", []) or []
            if l.get("advertisingRouter") == R1 and l["lsaAge"] < 3600}


def frr_has(lab, node, prefix):
    """NODE's OSPF route for PREFIX: in its table (selected) and its
    kernel FIB."""
    sel = any(r.get("protocol") == "ospf" and r.get("selected")
              for r in lab.frr_json(node, "show ip route %s" % prefix).get(
                  prefix, []))
    k = lab.route(node, prefix)
    return sel and k is not None and k.get("protocol") == "ospf"


def wait_lsas(lab, node, lsas, want, absent, what):
    """LSAS() holds WANT (routed on NODE: table and kernel) and none of
    ABSENT (no route to them on NODE)."""
    def check():
        have = lsas()
        bad = {}
        for p in want:
            if p not in have or not frr_has(lab, node, p):
                bad[p] = "missing"
        for p in absent:
            if p in have or frr_has(lab, node, p) or \
                    lab.route(node, p) is not None:
                bad[p] = "present"
        return bad
    wait_for(check, "%s: %s %s, %s not" % (node, want, what, absent))


def wait_summaries(lab, node, area, want, absent):
    def lsas():
        return {p for p in want + absent
                if p.split("/")[0] in summaries(lab, node, area)}
    wait_lsas(lab, node, lsas, want, absent, "summarised")


def wait_externals(lab, want, absent):
    wait_lsas(lab, "f0", lambda: externals(lab, "f0"), want, absent,
              "external")


def test_export_list(lab):
    both = (INTRA1, INTRA1B)
    wait_summaries(lab, "f0", "0.0.0.0", both, ())
    lab.wp_configure("r1", "access-list X1 deny %s" % INTRA1B,
                     "access-list X1 permit any",
                     "router ospf", "area 1 export-list X1")
    wait_summaries(lab, "f0", "0.0.0.0", (INTRA1, "10.255.0.3/32"),
                   (INTRA1B,))
    # The access list changes (an entry replaced by its seq, which vtysh
    # numbered 5): the summaries follow.  10.31.0.0/16 covers both.
    lab.wp_configure("r1", "access-list X1 seq 5 deny 10.31.0.0/16")
    wait_summaries(lab, "f0", "0.0.0.0", ("10.255.0.3/32",), both)
    hits = lab.wp_json("r1", "show ip access-list X1", daemon="ospfd")
    assert [r["sequenceNumber"] for r in hits["X1"]["rules"]] == [5, 10]
    assert hits["X1"]["rules"][0]["hitCount"] > 0, hits
    # exact-match: only the /16 itself, not what it covers.
    lab.wp_configure("r1", "access-list X1 seq 5 deny 10.31.0.0/16 "
                     "exact-match")
    wait_summaries(lab, "f0", "0.0.0.0", both, ())
    check_schema(lab)
    # Area 0's routes into area 1 went through no filter.
    wait_summaries(lab, "f1", "0.0.0.1", (INTRA0, INTER), ())
    lab.wp_configure("r1", "access-list X1 seq 5 deny %s" % INTRA1,
                     "router ospf", "no area 1 export-list X1")
    wait_summaries(lab, "f0", "0.0.0.0", both, ())


def check_schema(lab):
    """`show ip access-list json` of ospfd against doc/schema, with an
    exact-match entry and an `any` one."""
    jsonschema = pytest.importorskip("jsonschema")
    with open(SCHEMA) as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    out = lab.wp_json("r1", "show ip access-list", daemon="ospfd")
    rules = out["X1"]["rules"]
    assert [(r["prefix"], r["exactMatch"]) for r in rules] == [
        ("10.31.0.0/16", True), ("any", False)], out
    errors = [e.message for e in
              jsonschema.Draft7Validator(schema).iter_errors(out)]
    assert not errors, errors
    # A list of no such name: {}.
    assert lab.wp_json("r1", "show ip access-list NOPE",
                       daemon="ospfd") == {}


def test_import_list(lab):
    wait_summaries(lab, "f1", "0.0.0.1", (INTER, INTRA0), ())
    lab.wp_configure("r1", "access-list I1 permit 10.52.0.0/16",
                     "router ospf", "area 1 import-list I1")
    wait_summaries(lab, "f1", "0.0.0.1", (INTER,),
                   (INTRA0, "10.0.10.0/24"))
    # Area 1's routes still reach area 0.
    wait_summaries(lab, "f0", "0.0.0.0", (INTRA1, INTRA1B), ())
    # An undefined list filters nothing (FRR's behaviour).
    lab.wp_configure("r1", "no access-list I1")
    wait_summaries(lab, "f1", "0.0.0.1", (INTER, INTRA0, "10.0.10.0/24"),
                   ())
    lab.wp_configure("r1", "router ospf", "no area 1 import-list I1")


def test_distribute_list(lab):
    wait_externals(lab, (STAT1, STAT2), ())
    lab.wp_configure("r1", "access-list D1 permit %s" % STAT1,
                     "router ospf", "distribute-list D1 out static")
    wait_externals(lab, (STAT1,), (STAT2,))
    lab.wp_configure("r1", "access-list D1 seq 5 permit 10.88.2.0/23")
    wait_externals(lab, (STAT2,), (STAT1,))
    # An undefined list denies every route of the source (FRR's
    # behaviour).
    lab.wp_configure("r1", "no access-list D1")
    wait_externals(lab, (), (STAT1, STAT2))
    lab.wp_configure("r1", "router ospf", "no distribute-list D1 out static")
    wait_externals(lab, (STAT1, STAT2), ())


def test_route_map_match_access_list(lab):
    lab.wp_configure("r1", "access-list M1 permit 10.88.2.0/24",
                     "route-map RM permit 10", "match ip address M1",
                     "exit", "router ospf",
                     "redistribute static route-map RM")
    wait_externals(lab, (STAT2,), (STAT1,))
    lab.wp_configure("r1", "access-list M1 permit 10.88.0.0/16")
    wait_externals(lab, (STAT1, STAT2), ())
    lab.wp_configure("r1", "router ospf", "redistribute static")
    wait_externals(lab, (STAT1, STAT2), ())
