"""ospfd as an area border router for FRR routers in a stub area, an NSSA
and a normal area with a range (topologies/ospf-areas).  Asserts both
sides' link-state databases and the FRR nodes' kernel FIBs:

- stub area 1 (no-summary, default-cost 5): fs gets one type-3, the
  default, and no type-5s; its kernel has the default via r1;
- NSSA area 2: fn's redistributed static is a type-7 in the NSSA and, as
  r1 is the translator, a type-5 from r1 that f0 in area 0 routes; r1's
  type-7 default reaches fn's kernel; withdrawing the static flushes it;
- area 3: f0 reaches fa's externals through r1's type-4 (RFC 2328
  §12.4.3), and sees the range 10.3.0.0/16 instead of fa's networks;
- a neighbour whose area type differs is refused and counted;
- the area commands round-trip through mgmtd's show running-config.

Hello 1 s / dead 4 s: the module runs in well under a minute."""

import os

import pytest

from lablib.harness import module_lab, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "ospf-areas")

R1, F0, FS, FN, FA = ("10.255.0.1", "10.255.0.2", "10.255.0.3",
                      "10.255.0.4", "10.255.0.5")
NSSA_NET, FA_NET, F0_NET = "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd",), frr=("ospfd",))


def wp(lab, cmd):
    return lab.wp_json("r1", cmd, daemon="ospfd")


def all_full(lab):
    nbrs = wp(lab, "show ip ospf neighbor")["neighbors"]
    if {n["routerId"] for n in nbrs if n["state"] == "Full"} != {
            F0, FS, FN, FA}:
        return False
    for node in ("f0", "fs", "fn", "fa"):
        lst = lab.frr_json(node, "show ip ospf neighbor")["neighbors"].get(
            R1, [])
        if not lst or not lst[0]["state"].startswith("Full"):
            return False
    return True


@pytest.fixture
def full(lab):
    wait_until(lambda: all_full(lab), timeout=40,
               what="r1 Full with f0, fs, fn, fa on both sides")
    return lab


def live(lsas):
    return [x for x in lsas if x.get("lsaAge", 0) < 3600]


def frr_db(lab, node):
    return lab.frr_json(node, "show ip ospf database")


def frr_area(lab, node, area):
    return frr_db(lab, node)["areas"].get(area, {})


def our_lsas(lab, area):
    db = wp(lab, "show ip ospf database")
    if area is None:
        return [x for x in db["asExternal"] if x["age"] < 3600]
    for a in db["areas"]:
        if a["area"] == area:
            return [x for x in a["lsas"] if x["age"] < 3600]
    return []


def has_lsa(lsas, ls_id, adv):
    return any(x["lsId"] == ls_id and x["advertisedRouter"] == adv
               for x in live(lsas))


def kroute(lab, node, prefix):
    return lab.route(node, prefix)


def test_area_types_shown(full):
    """show ip ospf names each area's type and the translator."""
    info = wp(full, "show ip ospf")
    areas = {a["area"]: a for a in info["areas"]}
    assert info["areaBorderRouter"]
    assert areas["0.0.0.0"]["type"] == "normal"
    assert areas["0.0.0.1"]["type"] == "stub"
    assert areas["0.0.0.1"]["noSummary"] is True
    assert areas["0.0.0.1"]["defaultCost"] == 5
    assert areas["0.0.0.2"]["type"] == "nssa"
    assert areas["0.0.0.2"]["nssaTranslatorRole"] == "candidate"
    assert areas["0.0.0.3"]["ranges"] == 1
    wait_until(lambda: wp(full, "show ip ospf")["nssaTranslator"],
               timeout=20, what="r1 elected NSSA translator")


def test_stub_area(full):
    """fs (stub area 1, no-summary) holds the default type-3 of cost 5
    from r1 and nothing else summarised, no type-4 and no type-5; its
    kernel routes 0/0 via r1 at 5 + 10."""
    def default_only():
        a = frr_area(full, "fs", "0.0.0.1")
        sums = live(a.get("summaryLinkStates", []))
        return [(s["lsId"], s["advertisedRouter"]) for s in sums] == [
            ("0.0.0.0", R1)]
    wait_until(default_only, timeout=20, what="fs: only the default type-3")
    db = frr_db(full, "fs")
    assert not live(db.get("asExternalLinkStates", []))
    assert not live(db["areas"]["0.0.0.1"].get("asbrSummaryLinkStates", []))
    # r1 holds three type-5s, none of which went into the stub area.
    assert len(our_lsas(full, None)) >= 3
    assert not [x for x in our_lsas(full, "0.0.0.1") if x["type"] == 5]
    wait_until(lambda: kroute(full, "fs", "default") is not None,
               timeout=20, what="fs: kernel default route")
    r = kroute(full, "fs", "default")
    assert r["gateway"] == "10.0.11.1"
    route = full.frr_json("fs", "show ip ospf route")["0.0.0.0/0"]
    assert route["routeType"] == "N IA" and route["cost"] == 15
    # Nothing else of the other areas reached fs's kernel.
    assert kroute(full, "fs", "10.0.10.0/24") is None
    assert kroute(full, "fs", F0_NET) is None


def test_nssa_type7_and_translation(full):
    """fn's static is a type-7 in the NSSA on both sides, r1 translates
    it into a type-5 of its own that f0 (area 0) installs via r1."""
    wait_until(lambda: has_lsa(frr_area(full, "fn", "0.0.0.2").get(
        "nssaExternalLinkStates", []), "192.0.2.0", FN), timeout=20,
        what="fn: its type-7")
    wait_until(lambda: [x for x in our_lsas(full, "0.0.0.2")
                        if x["type"] == 7 and x["lsId"] == "192.0.2.0"],
               timeout=20, what="r1: fn's type-7 in area 2")
    t7 = [x for x in our_lsas(full, "0.0.0.2")
          if x["type"] == 7 and x["lsId"] == "192.0.2.0"][0]
    assert t7["advRouter"] == FN
    wait_until(lambda: [x for x in our_lsas(full, None)
                        if x["lsId"] == "192.0.2.0"], timeout=20,
               what="r1: translated type-5")
    t5 = [x for x in our_lsas(full, None) if x["lsId"] == "192.0.2.0"][0]
    assert t5["advRouter"] == R1 and t5["selfOriginated"]
    assert t5["forwardingAddress"] == t7["forwardingAddress"] != "0.0.0.0"
    # No type-5 came into the NSSA.
    assert not [x for x in our_lsas(full, "0.0.0.2") if x["type"] == 5]
    db = frr_db(full, "fn")
    assert not [x for x in live(db.get("asExternalLinkStates", []))
                if x["advertisedRouter"] != FN]
    # f0 in area 0: the translated type-5, in its kernel via r1.
    wait_until(lambda: has_lsa(frr_db(full, "f0").get(
        "asExternalLinkStates", []), "192.0.2.0", R1), timeout=20,
        what="f0: the type-5 from r1")
    wait_until(lambda: kroute(full, "f0", NSSA_NET) is not None,
               timeout=20, what="f0: kernel route to the NSSA's static")
    assert kroute(full, "f0", NSSA_NET)["gateway"] == "10.0.10.1"


def test_nssa_default(full):
    """r1's type-7 default (default-information-originate) reaches fn's
    kernel via r1; the NSSA's own routes are not replaced by it."""
    wait_until(lambda: has_lsa(frr_area(full, "fn", "0.0.0.2").get(
        "nssaExternalLinkStates", []), "0.0.0.0", R1), timeout=20,
        what="fn: r1's type-7 default")
    wait_until(lambda: kroute(full, "fn", "default") is not None,
               timeout=20, what="fn: kernel default route")
    assert kroute(full, "fn", "default")["gateway"] == "10.0.12.1"
    # Type-3s still come in (no no-summary here).
    assert kroute(full, "fn", "10.0.10.0/24")["gateway"] == "10.0.12.1"


def test_translation_withdrawn(full):
    """When fn withdraws its static, r1 flushes the translated type-5 and
    f0's kernel loses the route; it comes back with the static."""
    wait_until(lambda: kroute(full, "f0", NSSA_NET) is not None,
               timeout=20, what="f0: NSSA route before")
    full.frr_configure("fn", "no ip route 192.0.2.0/24 blackhole")
    try:
        wait_until(lambda: not has_lsa(frr_db(full, "f0").get(
            "asExternalLinkStates", []), "192.0.2.0", R1), timeout=20,
            what="f0: translated type-5 flushed")
        wait_until(lambda: kroute(full, "f0", NSSA_NET) is None,
                   timeout=20, what="f0: kernel route gone")
        assert not [x for x in our_lsas(full, None)
                    if x["lsId"] == "192.0.2.0"]
    finally:
        full.frr_configure("fn", "ip route 192.0.2.0/24 blackhole")
    wait_until(lambda: kroute(full, "f0", NSSA_NET) is not None,
               timeout=20, what="f0: kernel route back")


def test_asbr_summary(full):
    """fa (area 3) is an ASBR; r1 summarises it into area 0 as a type-4,
    so f0 routes fa's external via r1.  f0's own ASBR is summarised into
    area 3 but not into the stub area or the NSSA."""
    wait_until(lambda: has_lsa(frr_area(full, "f0", "0.0.0.0").get(
        "asbrSummaryLinkStates", []), FA, R1), timeout=20,
        what="f0: type-4 for fa from r1")
    wait_until(lambda: kroute(full, "f0", FA_NET) is not None,
               timeout=20, what="f0: kernel route to fa's external")
    assert kroute(full, "f0", FA_NET)["gateway"] == "10.0.10.1"
    assert full.frr_json("f0", "show ip ospf route")[FA_NET][
        "routeType"] == "N E2"
    wait_until(lambda: has_lsa(frr_area(full, "fa", "0.0.0.3").get(
        "asbrSummaryLinkStates", []), F0, R1), timeout=20,
        what="fa: type-4 for f0")
    wait_until(lambda: kroute(full, "fa", F0_NET) is not None,
               timeout=20, what="fa: kernel route to f0's external")
    for area in ("0.0.0.1", "0.0.0.2"):
        assert not [x for x in our_lsas(full, area) if x["type"] == 4]


def test_area_range(full):
    """area 3 range 10.3.0.0/16: f0 sees one type-3 for the range (at
    the cost of its costliest route) instead of fa's link and loopback."""
    def range_only():
        sums = live(frr_area(full, "f0", "0.0.0.0").get(
            "summaryLinkStates", []))
        ids = {(s["lsId"], s.get("summaryAddress")) for s in sums}
        return (("10.3.0.0", "10.3.0.0/16") in ids and
                not any(i.startswith("10.3.") and i != "10.3.0.0"
                        for i, _ in ids) and
                ("10.3.0.0", "10.3.0.0/24") not in ids)
    wait_until(range_only, timeout=20, what="f0: the range, not its parts")
    wait_until(lambda: kroute(full, "f0", "10.3.0.0/16") is not None,
               timeout=20, what="f0: kernel route for the range")
    assert full.frr_json("f0", "show ip ospf route")["10.3.0.0/16"][
        "cost"] == 20
    assert kroute(full, "f0", "10.3.255.5") is None
    assert kroute(full, "f0", "10.3.0.0/24") is None


def test_area_type_mismatch(full):
    """When fs stops treating area 1 as stub, its hellos carry the E-bit:
    r1 drops them as an area-type mismatch, counts them, and loses the
    adjacency; it returns when fs is a stub again."""
    def eth2():
        return {i["name"]: i for i in wp(full, "show ip ospf interface")[
            "interfaces"]}["eth2"]
    before = eth2()["droppedByReason"].get("options (area type) mismatch",
                                           0)
    full.frr_configure("fs", "router ospf", "no area 1 stub")
    try:
        def refused():
            e = eth2()
            return (e["droppedByReason"].get(
                "options (area type) mismatch", 0) > before and
                FS not in {n["routerId"] for n in wp(
                    full, "show ip ospf neighbor")["neighbors"]})
        wait_until(refused, timeout=20, what="fs refused as a mismatch")
        assert "mismatch" in eth2()["lastError"]["reason"]
    finally:
        full.frr_configure("fs", "router ospf", "area 1 stub")
    wait_until(lambda: all_full(full), timeout=40,
               what="fs back once stub again")


# In canonical order: a superset of r1.conf's area lines, so the block
# renders the same whether or not mgmtd took r1.conf at start-up.
AREA_LINES = """ area 1 stub no-summary
 area 1 default-cost 5
 area 2 nssa translate-always default-information-originate no-summary
 area 3 range 10.3.0.0/16
 area 3 range 10.4.0.0/16 cost 100 not-advertise
"""


def test_running_config_round_trip(lab, tmp_path):
    """The area commands go through mgmtd (waypoint-ospf YANG) and come
    back from show running-config as typed; loading that text again
    changes nothing."""
    def running():
        return lab.wp_cmd("r1", "show running-config", daemon="mgmtd")
    conf = tmp_path / "areas.conf"
    conf.write_text("router ospf\n" + AREA_LINES + "exit\n")
    cp = lab.wp_cfg("r1", "load %s" % conf, "commit areas")
    assert cp.returncode == 0, cp.stderr
    text = running()
    assert text.count("router ospf\n") == 1, text
    assert AREA_LINES + "exit\n" in text, text
    again = tmp_path / "again.conf"
    again.write_text(text)
    cp = lab.wp_cfg("r1", "load %s" % again, "commit again")
    assert cp.returncode == 0, cp.stderr
    assert running() == text
    # A bad one is refused whole, naming the constraint.
    bad = tmp_path / "bad.conf"
    bad.write_text("router ospf\n area 0 stub\nexit\n")
    cp = lab.wp_cfg("r1", "load %s" % bad, "commit bad")
    assert cp.returncode != 0
    assert "backbone cannot be a stub area" in cp.stderr
    assert running() == text
