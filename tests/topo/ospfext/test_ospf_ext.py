"""ospfd's external routes without a full SPF (RFC 2328 §16.6) and NSSA
ranges (RFC 3101 §3.2), against FRR 8.4 (topologies/oext): r1, Waypoint,
is the border router of NSSA area 1, whose AS boundary router is FRR's
fn; FRR's f0 is in area 0.  Asserts both sides' link-state databases
and the kernel FIBs:

- r1 aggregates fn's type-7s inside 10.20.0.0/16 into one type-5 that
  f0 installs, hides those inside 10.30.0.0/16 (not-advertise), and
  translates the rest one by one; r1 itself routes every type-7;
- a type-5 from f0 and a type-7 from fn, added and withdrawn, change
  r1's routes through incremental runs that name the LSA, not full SPF
  runs; the translation follows;
- the nssa range lines go through mgmtd (waypoint-ospf), come back from
  show running-config, and a cost committed later reaches f0.

Hello 1 s / dead 4 s: the module runs in well under a minute."""

import os

import pytest

from lablib.harness import module_lab, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "oext")

R1, F0, FN = "10.255.0.1", "10.255.0.2", "10.255.0.4"
RANGE_LINES = (" area 1 nssa range 10.20.0.0/16\n"
               " area 1 nssa range 10.30.0.0/16 not-advertise\n")


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd",), frr=("ospfd",))


def wp(lab, cmd):
    return lab.wp_json("r1", cmd, daemon="ospfd")


def all_full(lab):
    nbrs = wp(lab, "show ip ospf neighbor")["neighbors"]
    if {n["routerId"] for n in nbrs if n["state"] == "Full"} != {F0, FN}:
        return False
    for node in ("f0", "fn"):
        lst = lab.frr_json(node, "show ip ospf neighbor")["neighbors"].get(
            R1, [])
        if not lst or not lst[0]["state"].startswith("Full"):
            return False
    return True


@pytest.fixture
def full(lab):
    wait_until(lambda: all_full(lab), timeout=40,
               what="r1 Full with f0 and fn on both sides")
    return lab


def live(lsas):
    return [x for x in lsas if x.get("lsaAge", x.get("age", 0)) < 3600]


def frr_has(lab, node, key, ls_id, adv):
    """FRR's `show ip ospf database` of NODE has a live LSA in KEY."""
    db = lab.frr_json(node, "show ip ospf database")
    lsas = db.get(key, [])
    for area in db.get("areas", {}).values():
        lsas = lsas + area.get(key, [])
    return any(x["lsId"] == ls_id and x["advertisedRouter"] == adv
               for x in live(lsas))


def our_type5(lab):
    return [x for x in wp(lab, "show ip ospf database")["asExternal"]
            if x["age"] < 3600]


def via(lab, node, prefix):
    r = lab.route(node, prefix)
    return r and r.get("gateway")


def change_of(lab, prefix, op):
    for run in wp(lab, "show ip ospf route changes")["runs"]:
        for c in run["changes"]:
            if c["prefix"] == prefix and c["change"] == op:
                return run, c
    return None


def incremental_add(lab, net, gw, lsa_type, ls_id):
    """NET reaches r1's kernel through GW, added by an incremental run
    whose trigger is the type LSA_TYPE LS_ID of f0; returns that run."""
    wait_until(lambda: via(lab, "r1", net) == gw, timeout=30,
               what="r1: kernel route to " + net)
    run, c = wait_until(lambda: change_of(lab, net, "add"), timeout=10,
                        what="r1: add of " + net)
    assert run["incremental"], run
    assert c["trigger"]["type"] == lsa_type
    assert c["trigger"]["lsId"] == ls_id
    assert c["trigger"]["advRouter"] == F0
    return run


def incremental_delete(lab, net):
    """NET leaves r1's kernel through an incremental run naming f0."""
    wait_until(lambda: lab.route("r1", net) is None, timeout=30,
               what="r1: kernel route to %s gone" % net)
    run, c = wait_until(lambda: change_of(lab, net, "delete"), timeout=10,
                        what="r1: delete of " + net)
    assert run["incremental"] and c["trigger"]["advRouter"] == F0


def test_nssa_ranges(full):
    """f0 gets one type-5 from r1 for 10.20.0.0/16 in place of fn's two
    type-7s inside it, none for 10.30.1.0/24 (not-advertise), and
    192.0.2.0/24 translated on its own; r1 routes all four itself."""
    for p in ("10.20.1.0/24", "10.20.2.0/24", "10.30.1.0/24",
              "192.0.2.0/24"):
        wait_until(lambda: via(full, "r1", p) == "10.0.12.4", timeout=30,
                   what="r1: kernel route to fn's %s" % p)
        assert frr_has(full, "fn", "nssaExternalLinkStates",
                       p.split("/")[0], FN)
    wait_until(lambda: via(full, "f0", "10.20.0.0/16") == "10.0.10.1",
               timeout=30, what="f0: kernel route to the range")
    wait_until(lambda: via(full, "f0", "192.0.2.0/24") == "10.0.10.1",
               timeout=30, what="f0: kernel route to fn's 192.0.2.0/24")
    assert frr_has(full, "f0", "asExternalLinkStates", "10.20.0.0", R1)
    assert frr_has(full, "f0", "asExternalLinkStates", "192.0.2.0", R1)
    rt = full.frr_json("f0", "show ip ospf route")["10.20.0.0/16"]
    assert rt["routeType"] == "N E2" and rt["type2cost"] == 21, rt
    for p in ("10.20.1.0/24", "10.20.2.0/24", "10.30.1.0/24",
              "10.30.0.0/16"):
        assert full.route("f0", p) is None, p
        assert not frr_has(full, "f0", "asExternalLinkStates",
                           p.split("/")[0], R1), p
    # r1's LSDB: the aggregate, type 2 (fn's are E2 20: the largest
    # plus one), forwarding address 0.0.0.0; no /24 of the ranges.
    mine = {x["lsId"]: x for x in our_type5(full)
            if x["advRouter"] == R1}
    assert set(mine) == {"10.20.0.0", "192.0.2.0"}, mine
    agg = mine["10.20.0.0"]
    assert agg["selfOriginated"]
    assert agg["forwardingAddress"] == "0.0.0.0"
    assert agg["info"] == "10.20.0.0/16 E2 metric 21", agg
    assert mine["192.0.2.0"]["forwardingAddress"] != "0.0.0.0"
    areas = {a["area"]: a for a in wp(full, "show ip ospf")["areas"]}
    assert areas["0.0.0.1"]["nssaRanges"] == 2
    assert areas["0.0.0.1"]["nssaTranslating"]


def test_type5_incremental(full):
    """A static redistributed on f0 becomes r1's route through an
    incremental run naming f0's type-5; withdrawn, likewise gone."""
    net = "198.51.100.0/24"
    before = wp(full, "show ip ospf")["spf"]
    full.frr_configure("f0", "ip route %s blackhole" % net)
    try:
        run = incremental_add(full, net, "10.0.10.2", 5, "198.51.100.0")
        after = wp(full, "show ip ospf")["spf"]
        assert after["incrementalRuns"] > before["incrementalRuns"]
        assert after["incrementalLsas"] > before["incrementalLsas"]
        [rec] = [h for h in wp(full, "show ip ospf spf")["history"]
                 if h["run"] == run["run"]]
        assert rec["incremental"] and rec["added"] >= 1
        assert (5, "198.51.100.0") in {(t["type"], t["lsId"])
                                       for t in rec["triggers"]}
    finally:
        full.frr_configure("f0", "no ip route %s blackhole" % net)
    incremental_delete(full, net)


def test_type7_incremental_and_translation(full):
    """A new type-7 from fn outside the ranges: r1 routes it through an
    incremental run and translates it, so f0 installs it; inside
    10.20.0.0/16 it stays behind the aggregate."""
    out, inside = "10.21.5.0/24", "10.20.3.0/24"
    full.frr_configure("fn", "ip route %s blackhole" % out,
                       "ip route %s blackhole" % inside)
    try:
        for p in (out, inside):
            wait_until(lambda: via(full, "r1", p) == "10.0.12.4",
                       timeout=30, what="r1: kernel route to " + p)
            run, c = wait_until(lambda: change_of(full, p, "add"),
                                timeout=10, what="r1: add of " + p)
            assert run["incremental"], run
            assert c["trigger"]["type"] == 7
            assert c["trigger"]["advRouter"] == FN
        wait_until(lambda: via(full, "f0", out) == "10.0.10.1", timeout=30,
                   what="f0: kernel route to the translated " + out)
        assert frr_has(full, "f0", "asExternalLinkStates", "10.21.5.0", R1)
        assert full.route("f0", inside) is None
        assert via(full, "f0", "10.20.0.0/16") == "10.0.10.1"
    finally:
        full.frr_configure("fn", "no ip route %s blackhole" % out,
                           "no ip route %s blackhole" % inside)
    wait_until(lambda: full.route("f0", out) is None, timeout=30,
               what="f0: translated route flushed")
    wait_until(lambda: full.route("r1", inside) is None, timeout=30,
               what="r1: route inside the range gone")


def test_running_config_and_range_cost(lab, tmp_path):
    """The nssa range lines come back from mgmtd's show running-config
    as configured; a range on an area that is no NSSA is refused, naming
    the constraint; a cost given later reaches f0 as the aggregate's
    metric.  (FRR 8.4 has no `area A nssa range`; the syntax is the one
    later FRR releases document.)"""
    text = lab.wp_cmd("r1", "show running-config", daemon="mgmtd")
    assert " area 1 nssa\n" + RANGE_LINES in text, text
    bad = tmp_path / "bad.conf"
    bad.write_text("router ospf\n area 5 nssa range 10.50.0.0/16\nexit\n")
    cp = lab.wp_cfg("r1", "load %s" % bad, "commit bad")
    assert cp.returncode != 0
    assert "needs the area to be an NSSA" in cp.stderr, cp.stderr
    assert lab.wp_cmd("r1", "show running-config", daemon="mgmtd") == text
    cost = tmp_path / "cost.conf"
    cost.write_text(text.replace(" area 1 nssa range 10.20.0.0/16\n",
                                 " area 1 nssa range 10.20.0.0/16 cost 40\n"))
    cp = lab.wp_cfg("r1", "load %s" % cost, "commit cost")
    assert cp.returncode == 0, cp.stderr
    assert (" area 1 nssa range 10.20.0.0/16 cost 40\n" in
            lab.wp_cmd("r1", "show running-config", daemon="mgmtd"))

    def f0_cost():
        rt = lab.frr_json("f0", "show ip ospf route").get("10.20.0.0/16")
        return rt and rt.get("type2cost")
    wait_until(lambda: f0_cost() == 40, timeout=30,
               what="f0: the aggregate at the configured cost")
