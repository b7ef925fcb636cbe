"""ospfd's adjacency doctor and its filtered show commands
(topologies/oshow).  r1 (Waypoint) faces one FRR router, f1, over nine
links, eight of them misconfigured one way each, a second Waypoint router
r2 in area 1, and a third, r3, that has r1's router ID:

- each mismatch -- hello and dead intervals, area, area type (E-bit), MTU
  in DBD, authentication type and MD5 key, network type, duplicate router
  ID -- shows on its interface with the offending
  source address, on `show ip ospf neighbor` as a refused source or as
  the stuck neighbour's problem, and the good links show none;
- `show ip ospf database` with a type, an LS ID, `self-originate`,
  `adv-router` is exactly the matching part of the whole database;
- `show ip ospf border-routers` on both sides of the ABR;
- `show ip ospf spf` and `show ip ospf route changes` name the LSA that
  added, then deleted, a route.

Hello 1 s / dead 4 s: the module runs in well under a minute."""

import json
import os

import jsonschema
import pytest

from lablib import roles
from lablib.harness import module_lab, require_frr, require_root, wait_until
from lablib.system import LabError

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "oshow")
SCHEMA = os.path.join(HERE, "..", "..", "..", "doc", "schema",
                      "ospfd-show-ip-ospf-neighbor.json")

R1, F1, R2 = "10.255.0.1", "10.255.0.2", "10.255.0.3"
EXTRA = "192.0.2.0/24"


@pytest.fixture(scope="module")
def lab():
    require_root()
    require_frr("ospfd")
    find = roles.waypoint_bindir()
    if find is None or not find("ospfd"):
        pytest.skip("ospfd is not built")
    yield from module_lab(TOPO)


def wp(lab, cmd, node="r1"):
    return lab.wp_json(node, cmd, daemon="ospfd")


def full(lab):
    """r1 Full with f1 on eth1 and r2 on eth7, and r2 with r1."""
    nbrs = {(n["interface"], n["routerId"]): n["state"]
            for n in wp(lab, "show ip ospf neighbor")["neighbors"]}
    return (nbrs.get(("eth1", F1)) == "Full" and
            nbrs.get(("eth7", R2)) == "Full" and
            [n["state"] for n in wp(lab, "show ip ospf neighbor",
                                    "r2")["neighbors"]] == ["Full"])


@pytest.fixture
def converged(lab):
    wait_until(lambda: full(lab), timeout=40,
               what="r1 Full with f1 (eth1) and r2 (eth7)")
    return lab


def problems(lab, ifname):
    [i] = wp(lab, "show ip ospf interface %s" % ifname)["interfaces"]
    return {p["reason"]: p for p in i["adjacencyProblems"]}


DOCTOR = [
    ("eth2", "hello-mismatch", "10.0.2.2", "hello 2 s, ours 1 s"),
    ("eth3", "area-mismatch", "10.0.3.2", "area 0.0.0.7, ours 0.0.0.0"),
    ("eth4", "mtu-mismatch", "10.0.4.2", "DBD MTU 1600, ours 1500"),
    ("eth5", "auth-failure", "10.0.5.2", None),
    ("eth6", "network-type-mismatch", "10.0.6.2", "point-to-point"),
    ("eth8", "duplicate-router-id", "10.0.8.2", None),
    ("eth9", "area-type-mismatch", "10.0.9.2", "E-bit clear"),
    ("eth10", "auth-type-mismatch", "10.0.10.2", "type 1, ours 0"),
    ("eth11", "dead-mismatch", "10.0.11.2", "dead 8 s, ours 4 s"),
]


@pytest.mark.parametrize("ifname,reason,src,detail", DOCTOR,
                         ids=[d[1] for d in DOCTOR])
def test_doctor_interface(lab, ifname, reason, src, detail):
    """The interface names the reason, the offending source and what
    differs; the count grows while the mismatch lasts."""
    p = wait_until(lambda: problems(lab, ifname).get(reason), timeout=30,
                   what="%s: %s" % (ifname, reason))
    assert p["source"] == src
    assert p["count"] >= 1 and p["secondsAgo"] >= 0
    if detail:
        assert detail in p["detail"], p
    wait_until(lambda: problems(lab, ifname)[reason]["count"] > p["count"],
               timeout=20, what="%s: %s counted again" % (ifname, reason))
    text = lab.wp_cmd("r1", "show ip ospf interface", daemon="ospfd")
    assert p["description"] + " from " + src in text, text
    text = lab.wp_cmd("r1", "show ip ospf interface %s" % ifname,
                      daemon="ospfd")
    assert "Adjacency problem: %s from %s" % (p["description"], src) in text


def test_doctor_good_links(converged):
    """The links that work have no problem to show."""
    for ifname in ("eth1", "eth7"):
        assert problems(converged, ifname) == {}, ifname
    [i] = wp(converged, "show ip ospf interface eth1")["interfaces"]
    assert "adjacencyProblem" not in i
    assert i["mtuMismatchDetect"] is True
    names = [x["name"] for x in wp(converged, "show ip ospf interface")[
        "interfaces"]]
    assert sorted(names) == sorted(["eth%d" % n for n in range(1, 12)] +
                                   ["lo"])
    text = converged.wp_cmd("r1", "show ip ospf interface eth1",
                            daemon="ospfd")
    assert "eth1 is up" in text and "Adjacency problem" not in text, text


def test_doctor_neighbor(converged):
    """show ip ospf neighbor: sources refused before any neighbour exists
    are listed with interface, reason and address; the neighbour stuck
    in ExStart on eth4 says MTU; the one on eth6 says network type."""
    def refused():
        rej = wp(converged, "show ip ospf neighbor")["rejected"]
        got = {(r["interface"], r["reason"], r["source"]) for r in rej}
        want = {("eth2", "hello-mismatch", "10.0.2.2"),
                ("eth3", "area-mismatch", "10.0.3.2"),
                ("eth5", "auth-failure", "10.0.5.2"),
                ("eth8", "duplicate-router-id", "10.0.8.2"),
                ("eth9", "area-type-mismatch", "10.0.9.2"),
                ("eth10", "auth-type-mismatch", "10.0.10.2"),
                ("eth11", "dead-mismatch", "10.0.11.2")}
        return want <= got and got
    got = wait_until(refused, timeout=30, what="refused sources listed")
    assert not [g for g in got if g[0] in ("eth1", "eth7")]

    def nbr(ifname):
        return [n for n in wp(converged, "show ip ospf neighbor")[
            "neighbors"] if n["interface"] == ifname]
    stuck = wait_until(lambda: [n for n in nbr("eth4")
                                if n.get("problem") == "mtu-mismatch"],
                       timeout=30, what="eth4 neighbour: MTU")
    assert stuck[0]["state"] in ("ExStart", "Exchange")
    assert "MTU" in stuck[0]["problemDetail"]
    wait_until(lambda: [n for n in nbr("eth6")
                        if n.get("problem") == "network-type-mismatch"],
               timeout=30, what="eth6 neighbour: network type")
    assert "problem" not in nbr("eth1")[0]
    text = converged.wp_cmd("r1", "show ip ospf neighbor", daemon="ospfd")
    assert "eth2 from 10.0.2.2: hello interval mismatch" in text, text


def test_neighbor_detail_and_one(converged):
    """neighbor A.B.C.D gives that router's neighbours in detail; an
    unknown router ID is an error naming it; detail validates against
    the schema like the plain form."""
    [n] = wp(converged, "show ip ospf neighbor %s" % R2)["neighbors"]
    assert n["interface"] == "eth7" and n["ifaceAddress"] == "10.0.7.1"
    assert n["state"] == "Full" and n["address"] == "10.0.7.2"
    text = converged.wp_cmd("r1", "show ip ospf neighbor %s" % R2,
                            daemon="ospfd")
    assert "Neighbor %s, interface address 10.0.7.2" % R2 in text, text
    with pytest.raises(LabError, match="10.9.9.9"):
        converged.wp_cmd("r1", "show ip ospf neighbor 10.9.9.9",
                         daemon="ospfd")
    with open(SCHEMA) as f:
        schema = json.load(f)
    for cmd in ("show ip ospf neighbor", "show ip ospf neighbor detail"):
        jsonschema.validate(wp(converged, cmd), schema)
    assert all("optionsList" in x for x in wp(
        converged, "show ip ospf neighbor detail")["neighbors"])


def test_interface_filter(converged):
    [i] = wp(converged, "show ip ospf interface eth7")["interfaces"]
    assert i["name"] == "eth7" and i["area"] == "0.0.0.1"
    with pytest.raises(LabError, match="eth99"):
        converged.wp_cmd("r1", "show ip ospf interface eth99",
                         daemon="ospfd")


def keys(db):
    """{(scope, type, LS ID, advertising router)} of a database show."""
    out = set()
    for a in db.get("areas", []):
        out |= {(a["area"], x["type"], x["lsId"], x["advRouter"])
                for x in a["lsas"]}
    out |= {("AS", x["type"], x["lsId"], x["advRouter"])
            for x in db.get("asExternal", [])}
    return out


def check_filter(lab, words, pred):
    """`show ip ospf database WORDS` is the part of the whole database
    PRED selects, and not empty (retried: LSAs come and go)."""
    def same():
        whole = {k for k in keys(wp(lab, "show ip ospf database"))
                 if pred(k)}
        part = keys(wp(lab, "show ip ospf database " + words))
        return whole and part == whole and part
    return wait_until(same, timeout=20, what="database " + words)


def test_database_filters(converged):
    """adv-router, self-originate, a type, a type and LS ID: each the
    matching subset; f1's type-5 is an AS-scope LSA, r1's summaries are
    in both areas."""
    wait_until(lambda: ("AS", 5, "198.51.100.0", F1) in keys(
        wp(converged, "show ip ospf database")), timeout=30,
        what="f1's type-5 at r1")
    part = check_filter(converged, "adv-router " + F1,
                        lambda k: k[3] == F1)
    assert ("AS", 5, "198.51.100.0", F1) in part
    assert ("0.0.0.0", 1, F1, F1) in part
    part = check_filter(converged, "self-originate", lambda k: k[3] == R1)
    assert {k[0] for k in part if k[1] == 3} == {"0.0.0.0", "0.0.0.1"}
    check_filter(converged, "router", lambda k: k[1] == 1)
    part = check_filter(converged, "external 198.51.100.0",
                        lambda k: k[1] == 5 and k[2] == "198.51.100.0")
    assert part == {("AS", 5, "198.51.100.0", F1)}
    check_filter(converged, "summary self-originate",
                 lambda k: k[1] == 3 and k[3] == R1)
    check_filter(converged, "router %s adv-router %s" % (R2, R2),
                 lambda k: k[1] == 1 and k[2] == R2 and k[3] == R2)
    check_filter(converged, "asbr-summary adv-router " + R1,
                 lambda k: k[1] == 4 and k[3] == R1)
    db = wp(converged, "show ip ospf database self-originate")
    assert all(x["selfOriginated"] for a in db["areas"] for x in a["lsas"])
    # Nothing has been flushed here: the MaxAge list is empty.
    assert keys(wp(converged, "show ip ospf database max-age")) == set()
    # The external type has no area part, the others no AS part.
    assert wp(converged, "show ip ospf database external")["areas"] == []
    assert "asExternal" not in wp(converged,
                                  "show ip ospf database network")


def test_border_routers(converged):
    """r1 reaches f1, an ASBR, inside area 0; r2 in area 1 reaches r1 as
    its ABR and f1 as an ASBR through r1's type-4 (inter-area)."""
    def rtrs(node):
        return {(r["routerId"], r["area"]): r for r in wp(
            converged, "show ip ospf border-routers", node)["routers"]}
    r = wait_until(lambda: rtrs("r1").get((F1, "0.0.0.0")), timeout=30,
                   what="r1: f1 as a border router")
    assert r["asbr"] and r["pathType"] == "intra-area"
    assert r["nexthops"] == [{"ip": "10.0.1.2", "interface": "eth1"}]
    r = wait_until(lambda: rtrs("r2").get((R1, "0.0.0.1")), timeout=30,
                   what="r2: r1 as ABR")
    assert r["abr"] and r["cost"] == 10
    r = wait_until(lambda: rtrs("r2").get((F1, "0.0.0.1")), timeout=30,
                   what="r2: f1 as an ASBR via the type-4")
    assert r["asbr"] and r["pathType"] == "inter-area"
    text = converged.wp_cmd("r2", "show ip ospf border-routers",
                            daemon="ospfd")
    assert R1 in text and "abr" in text, text


def change_of(lab, prefix, op):
    for run in wp(lab, "show ip ospf route changes")["runs"]:
        for c in run["changes"]:
            if c["prefix"] == prefix and c["change"] == op:
                return run, c
    return None


def test_spf_history_and_route_changes(converged):
    """A static redistributed on f1 adds a route at r1: the change names
    f1's type-5 as its trigger, the SPF run lists it and its phase
    times; withdrawing it deletes the route, triggered by the flush."""
    converged.frr_configure("f1", "ip route %s blackhole" % EXTRA)
    try:
        run, c = wait_until(lambda: change_of(converged, EXTRA, "add"),
                            timeout=30, what="r1: add of " + EXTRA)
        assert c["trigger"]["type"] == 5
        assert c["trigger"]["lsId"] == "192.0.2.0"
        assert c["trigger"]["advRouter"] == F1
        spf = wp(converged, "show ip ospf spf")
        [rec] = [h for h in spf["history"] if h["run"] == run["run"]]
        assert {(t["type"], t["lsId"]) for t in rec["triggers"]} >= {
            (5, "192.0.2.0")}
        assert rec["added"] >= 1
        for k in ("intraMsecs", "interMsecs", "externalMsecs",
                  "toRibMsecs", "totalMsecs"):
            assert rec[k] >= 0
        assert rec["toRibMsecs"] >= rec["ribMsecs"]
        # A type-5 alone: an incremental run, not a full SPF (§16.6).
        assert rec["incremental"] and run["incremental"]
        runs = [h["run"] for h in spf["history"]]
        assert runs == sorted(runs, reverse=True) and len(runs) <= 16
        # Run numbers count both kinds; `runs` the full ones alone.
        last = wp(converged, "show ip ospf")["spf"]["lastRun"]
        assert (last["run"] >= spf["runs"] + spf["incrementalRuns"] >=
                run["run"])
    finally:
        converged.frr_configure("f1", "no ip route %s blackhole" % EXTRA)
    run, c = wait_until(lambda: change_of(converged, EXTRA, "delete"),
                        timeout=30, what="r1: delete of " + EXTRA)
    assert c["trigger"]["type"] == 5 and c["trigger"]["advRouter"] == F1
    text = converged.wp_cmd("r1", "show ip ospf route changes",
                            daemon="ospfd")
    assert "delete" in text and EXTRA in text, text
