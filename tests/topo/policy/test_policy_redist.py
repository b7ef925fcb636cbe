"""Route maps and prefix lists on ospfd's redistribution, against FRR 8.4
(topologies/opol).

r1 (Waypoint) redistributes four static routes through route-map RM:
prefix list BLOCK denies 10.98/16, PASS lets 10.99/16 through with
metric 50 and tag 100, 10.97/16 (tag 7) passes the tag entry with metric
+5 as type 1, 172.16.5/24 matches no entry (implicit deny).  The policy
reaches ospfd through mgmtd like the rest of r1's configuration.

Asserted on f1: the AS-external-LSAs in its database (metric, type,
tag), its routing table (`show ip route json`: metric, tag) and its
kernel FIB; on r1: `show route-map json` and `show ip prefix-list json`
hit counts.  Then commits in r1's vtysh: a prefix-list change flushes one
route and originates another, a set clause changes a metric, match
interface filters by the route's nexthop interface, an undefined route
map withdraws everything, a route map on default-information sets the
default's metric and type or keeps it out."""

import json
import os

import pytest

from lablib.harness import WaitTimeout, module_lab, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "opol")
SCHEMA_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "doc",
                                           "schema"))
R1 = "10.255.0.1"
ALL = ("10.99.0.0/16", "10.98.0.0/16", "10.97.0.0/16", "172.16.5.0/24")


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd", "ribd"), frr=("ospfd",))


def externals(lab):
    """{prefix: LSA} of r1's live AS-external-LSAs in f1's database (a
    flushed one stays at MaxAge until every neighbour acknowledged it)."""
    js = lab.frr_json("f1", "show ip ospf database external")
    return {"%s/%d" % (l["linkStateId"], l["networkMask"]): l
            for l in js.get("asExternalLinkStates", []) or []
            if l.get("advertisingRouter") == R1 and l["lsaAge"] < 3600}


def frr_route(lab, prefix):
    """f1's selected OSPF route for PREFIX (`show ip route json`)."""
    for r in lab.frr_json("f1", "show ip route %s" % prefix).get(prefix,
                                                                  []):
        if r.get("protocol") == "ospf" and r.get("selected"):
            return r
    return None


def in_fib(lab, prefix):
    r = lab.route("f1", prefix)
    return r is not None and r.get("protocol") == "ospf" and \
        r.get("gateway", (r.get("nexthops") or [{}])[0].get("gateway")) \
        == "10.0.12.1"


def wait_passed(lab, want, what):
    """Wait until exactly WANT (a set of prefixes) of ALL are r1's
    externals in f1's database, in f1's table and in f1's kernel FIB."""
    seen = {}

    def ok():
        seen["lsdb"] = set(externals(lab)) & set(ALL)
        seen["fib"] = {p for p in ALL if in_fib(lab, p)}
        seen["rib"] = {p for p in ALL if frr_route(lab, p)}
        return all(v == want for v in seen.values())
    try:
        wait_until(ok, timeout=30, what=what)
    except WaitTimeout as e:
        raise AssertionError("%s; f1 had %r" % (e, seen)) from e


def test_route_map_filters_and_sets(lab):
    wait_passed(lab, {"10.99.0.0/16", "10.97.0.0/16"},
                "f1 has exactly 10.99/16 and 10.97/16 from r1")
    ext = externals(lab)
    assert ext["10.99.0.0/16"]["metric"] == 50, ext
    assert ext["10.99.0.0/16"]["metricType"].startswith("E2"), ext
    assert ext["10.99.0.0/16"]["externalRouteTag"] == 100, ext
    # +5 on the default 20, type 1 by the route map.
    assert ext["10.97.0.0/16"]["metric"] == 25, ext
    assert ext["10.97.0.0/16"]["metricType"] == "E1", ext
    assert ext["10.97.0.0/16"]["externalRouteTag"] == 0, ext
    r = frr_route(lab, "10.99.0.0/16")
    assert r["metric"] == 50 and r["tag"] == 100, r
    # E1: the path's cost (10 over the p2p link) is added.
    r = frr_route(lab, "10.97.0.0/16")
    assert r["metric"] == 35 and "tag" not in r, r


def test_show_counts_hits(lab):
    wait_passed(lab, {"10.99.0.0/16", "10.97.0.0/16"}, "initial routes")
    rm = lab.wp_json("r1", "show route-map RM", daemon="ospfd")["RM"]
    rules = {r["sequenceNumber"]: r for r in rm["rules"]}
    assert set(rules) == {5, 10, 20}, rm
    assert rm["invoked"] > 0, rm
    # Each entry decided for its route at least once.
    assert all(r["invoked"] > 0 for r in rules.values()), rm
    assert rules[10]["setClauses"] == ["metric 50", "tag 100"], rm
    assert rules[20]["setClauses"] == ["metric +5",
                                       "metric-type type-1"], rm
    assert rules[10]["description"] == "the site's networks", rm
    pl = lab.wp_json("r1", "show ip prefix-list", daemon="ospfd")
    assert set(pl) == {"BLOCK", "PASS"}, pl
    assert pl["BLOCK"]["entries"][0]["hitCount"] > 0, pl
    assert pl["PASS"]["entries"][1] == {
        "sequenceNumber": 10, "type": "permit", "prefix": "10.96.0.0/14",
        "greaterEqual": 24, "lessEqual": 24,
        "hitCount": pl["PASS"]["entries"][1]["hitCount"]}, pl
    assert lab.wp_json("r1", "show route-map NOPE", daemon="ospfd") == {}


def test_prefix_list_change_follows(lab):
    # BLOCK now denies 10.99/16 (flushed); PASS admits 172.16/12 up to
    # /24 (172.16.5/24 originated, metric 50 tag 100).
    lab.wp_configure("r1", "ip prefix-list BLOCK seq 5 permit 10.99.0.0/16",
                     "ip prefix-list PASS seq 15 permit 172.16.0.0/12 le 24")
    wait_passed(lab, {"10.97.0.0/16", "172.16.5.0/24"},
                "10.99/16 flushed, 172.16.5/24 announced")
    r = frr_route(lab, "172.16.5.0/24")
    assert r["metric"] == 50 and r["tag"] == 100, r
    # 10.98/16 is no longer blocked but no entry permits it.
    assert "10.98.0.0/16" not in externals(lab)
    lab.wp_configure("r1", "ip prefix-list BLOCK seq 5 permit 10.98.0.0/16",
                     "no ip prefix-list PASS seq 15")
    wait_passed(lab, {"10.99.0.0/16", "10.97.0.0/16"}, "back as it was")


def test_set_and_match_interface_follow(lab):
    lab.wp_configure("r1", "route-map RM permit 10", "set metric 60")
    wait_until(lambda: (frr_route(lab, "10.99.0.0/16") or {}).get(
        "metric") == 60, timeout=30, what="f1: 10.99/16 metric 60")
    # The static's nexthop is on eth2: eth1 matches nothing.
    lab.wp_configure("r1", "route-map RM permit 10", "match interface eth1")
    wait_passed(lab, {"10.97.0.0/16"}, "10.99/16 gone (interface eth1)")
    lab.wp_configure("r1", "route-map RM permit 10", "match interface eth2")
    wait_passed(lab, {"10.99.0.0/16", "10.97.0.0/16"},
                "10.99/16 back (interface eth2)")
    lab.wp_configure("r1", "route-map RM permit 10", "no match interface",
                     "set metric 50")


def test_undefined_route_map_denies(lab):
    lab.wp_configure("r1", "router ospf",
                     "redistribute static route-map NOPE")
    wait_passed(lab, set(), "every external withdrawn")
    lab.wp_configure("r1", "router ospf", "redistribute static route-map RM")
    wait_passed(lab, {"10.99.0.0/16", "10.97.0.0/16"}, "back through RM")
    assert externals(lab)["10.99.0.0/16"]["metric"] == 50


def test_default_information_route_map(lab):
    """default-information originate always route-map: the map's set
    clauses on the default; a map that denies 0.0.0.0/0 keeps it out."""
    lab.wp_configure("r1", "route-map DEF permit 10", "set metric 7",
                     "set metric-type type-1", "exit", "router ospf",
                     "default-information originate always route-map DEF")
    wait_until(lambda: (externals(lab).get("0.0.0.0/0") or {}).get(
        "metric") == 7, timeout=30, what="f1: r1's default, metric 7")
    assert externals(lab)["0.0.0.0/0"]["metricType"] == "E1"
    wait_until(lambda: in_fib(lab, "0.0.0.0/0"), timeout=30,
               what="f1: default via r1 in the FIB")
    lab.wp_configure("r1", "route-map DEF deny 10")
    wait_until(lambda: "0.0.0.0/0" not in externals(lab) and
               not in_fib(lab, "0.0.0.0/0"), timeout=30,
               what="f1: r1's default gone")
    lab.wp_configure("r1", "router ospf",
                     "no default-information originate")


def test_show_json_matches_schemas(lab):
    """The show JSON against doc/schema, with every optional member
    (description, ge/le, call, goto and next actions) present; and a
    broken output must be caught."""
    jsonschema = pytest.importorskip("jsonschema")
    lab.wp_configure("r1", "ipv6 prefix-list V6 description six",
                     "ipv6 prefix-list V6 seq 5 deny any",
                     "route-map SUB permit 10", "exit",
                     "route-map RM permit 20", "call SUB", "on-match goto 30",
                     "exit", "route-map RM permit 30", "on-match next")
    cmds = [("show ip prefix-list", "lib-show-prefix-list.json"),
            ("show ipv6 prefix-list", "lib-show-prefix-list.json"),
            ("show ip prefix-list PASS", "lib-show-prefix-list.json"),
            ("show route-map", "lib-show-route-map.json"),
            ("show route-map RM", "lib-show-route-map.json")]
    for cmd, name in cmds:
        with open(os.path.join(SCHEMA_DIR, name)) as f:
            schema = json.load(f)
        jsonschema.Draft7Validator.check_schema(schema)
        doc = lab.wp_json("r1", cmd, daemon="ospfd")
        assert doc, cmd
        v = jsonschema.Draft7Validator(schema)
        assert not list(v.iter_errors(doc)), (cmd, doc)
        bad = json.loads(json.dumps(doc))
        first = next(iter(bad.values()))
        first["lookups" if "lookups" in first else "invoked"] = "many"
        assert list(v.iter_errors(bad)), cmd
    rm = lab.wp_json("r1", "show route-map RM", daemon="ospfd")["RM"]
    rules = {r["sequenceNumber"]: r for r in rm["rules"]}
    assert rules[20]["callClause"] == "SUB" and \
        rules[20]["action"] == "Goto 30", rules
    assert rules[30]["action"] == "Next", rules
    v6 = lab.wp_json("r1", "show ipv6 prefix-list", daemon="ospfd")
    assert v6["V6"]["description"] == "six", v6
