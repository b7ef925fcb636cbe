"""OSPF graceful restart (RFC 3623): Waypoint helps FRR 8.4 restart.

topologies/ogr (lab ``ogr``): Waypoint r1 (ribd, ospfd with
``graceful-restart helper enable``) and FRR f1 (``graceful-restart
grace-period 120``) on a point-to-point link with hello 1 s, dead 4 s;
f1's loopback and its second network are reached only through f1.
What is asserted:

* ``graceful-restart prepare ip ospf`` on f1 floods Grace-LSAs: r1's
  ``show ip ospf neighbor json`` says ``grHelper`` ``helping``, with the
  grace period f1 announced;
* f1's ospfd stopped (SIGTERM) and silent for longer than the dead
  interval: r1 keeps the adjacency Full and keeps helping;
* f1's ospfd started again with its configuration: it re-forms the
  adjacency and flushes its Grace-LSAs, and r1 ends helping with
  ``success`` (``show ip ospf json`` counts it), its neighbour Full;
* throughout, r1's kernel kept the routes through f1: ``ip monitor
  route`` in r1 shows no change for them (no delete, no replace);
* helping disabled (``no graceful-restart helper enable``), the same
  restart is not helped: r1 drops the adjacency when f1 goes silent and
  the routes through f1 leave its kernel until f1 is back;
* the other way round (RFC 3623 §2), r1 (``graceful-restart grace-period
  120``) restarts: ``graceful-restart prepare ip ospf`` on r1 floods its
  Grace-LSA and f1 (``graceful-restart helper enable``) helps; r1's
  ospfd stopped past f1's dead interval and started again keeps its
  routes in ribd, originates nothing until f1 is Full again, then ends
  the restart (``all adjacencies re-established``) and flushes its
  Grace-LSA: f1 ends helping with a successful restart, and neither
  kernel saw a change of the routes between them.

FRR 8.4.4's ``show ip ospf graceful-restart helper detail json`` crashes
its ospfd: the test reads the text form.
"""

import json
import os
import pwd
import re
import shutil
import signal

import pytest

from lablib import roles
from lablib import state as stm
from lablib.harness import module_lab, require_frr, require_root, wait_until
from lablib.monitor import RouteMonitor

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "ogr")
F1 = "10.255.0.11"
R1 = "10.255.0.1"
DEAD = 4
THROUGH_F1 = ["10.255.0.11/32", "10.0.2.0/24"]
GRACE = 120
SCHEMA = os.path.join(HERE, "..", "..", "..", "doc", "schema",
                      "ospfd-show-ip-ospf-neighbor.json")


# FRR 8.4's ospfd keeps what it needs across a graceful restart in
# /var/run/frr[/PATHSPACE]/ospfd-gr.json; f1's ospfd runs with its own
# pathspace so that no other FRR instance on the machine reads that file.
PATHSPACE = "ogr-f1"
GR_DIR = os.path.join("/var/run/frr", PATHSPACE)


@pytest.fixture(scope="module")
def lab():
    require_root()
    require_frr("ospfd")
    find = roles.waypoint_bindir()
    for d in ("ribd", "ospfd"):
        if find is None or not find(d):
            pytest.skip("%s is not built" % d)
    pw = pwd.getpwnam("frr")
    os.makedirs(GR_DIR, exist_ok=True)
    os.chown(GR_DIR, pw.pw_uid, pw.pw_gid)
    try:
        for lab in module_lab(TOPO):
            # f1's ospfd again, now in its pathspace (a plain restart).
            converged(lab)
            stop_frr_ospfd(lab)
            start_frr_ospfd(lab)
            converged(lab)
            yield lab
    finally:
        shutil.rmtree(GR_DIR, ignore_errors=True)


def nbr(lab):
    """r1's neighbour f1 (``show ip ospf neighbor json``), or None."""
    js = lab.wp_json("r1", "show ip ospf neighbor", daemon="ospfd")
    for n in js["neighbors"]:
        if n["routerId"] == F1:
            return n
    return None


def check_schema(lab):
    """r1's ``show ip ospf neighbor json`` as doc/schema describes it."""
    try:
        import jsonschema
    except ImportError:
        return
    with open(SCHEMA) as f:
        schema = json.load(f)
    jsonschema.validate(lab.wp_json("r1", "show ip ospf neighbor",
                                    daemon="ospfd"), schema)


def gr(lab):
    return lab.wp_json("r1", "show ip ospf", daemon="ospfd")[
        "gracefulRestart"]


def full(lab):
    n = nbr(lab)
    return n is not None and n["state"] == "Full"


def routes_via_f1(lab):
    return all(lab.has_route("r1", p, via="10.0.1.2") for p in THROUGH_F1)


def frr_ospfd(lab):
    """f1's ospfd record in the lab state: its command line."""
    st = stm.load(lab.name)
    return [d for d in st["nodes"]["f1"]["daemons"]
            if d["name"] == "ospfd"][0]


def stop_frr_ospfd(lab):
    """SIGTERM f1's ospfd (as a service restart does); wait until gone."""
    path = os.path.join(lab.frr_dir("f1"), "ospfd.pid")
    with open(path) as f:
        pid = int(f.read().split()[0])
    os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not os.path.exists("/proc/%d" % pid), timeout=15,
               what="f1's ospfd exits")


def start_frr_ospfd(lab):
    """Start f1's ospfd with the lab's command line, then its
    configuration (the whole frr.conf, as the lab applied it)."""
    d = lab.frr_dir("f1")
    lab.exec("f1", list(frr_ospfd(lab)["cmd"]) + ["-N", PATHSPACE])
    wait_until(lambda: lab.run("f1", ["vtysh", "--vty_socket", d, "-d",
                                      "ospfd", "-c", "show version"]
                               ).returncode == 0,
               timeout=15, what="f1's ospfd answers")
    lab.exec("f1", ["vtysh", "--vty_socket", d, "--config_dir", d, "-f",
                    os.path.join(d, "frr.conf")], timeout=60)


def converged(lab):
    """r1 Full with f1, every LSA flooded to it acknowledged (a Grace-LSA
    arriving while a changed LSA waits for f1 is refused, §3.1), and the
    routes through f1 in r1's kernel."""
    wait_until(lambda: full(lab) and nbr(lab)["retransmitCount"] == 0,
               timeout=30, what="r1 Full with f1, nothing to retransmit")
    wait_until(lambda: routes_via_f1(lab), timeout=30,
               what="r1's kernel routes through f1")


def test_helper_keeps_routes_through_restart(lab):
    converged(lab)
    assert gr(lab)["helperEnabled"] is True
    assert nbr(lab)["grHelper"]["state"] == "not helping"
    mon = RouteMonitor(lab, "r1")
    mon.start()
    try:
        lab.frr_cmd("f1", "graceful-restart prepare ip ospf")
        wait_until(lambda: nbr(lab)["grHelper"]["state"] == "helping",
                   timeout=15, what="r1 helps f1 (Grace-LSA received)")
        h = nbr(lab)["grHelper"]
        assert h["gracePeriod"] == GRACE, h
        assert 0 < h["remaining"] <= GRACE, h
        check_schema(lab)
        stop_frr_ospfd(lab)
        # Silent for longer than the dead interval: r1's inactivity
        # timer ran out and was ignored; the adjacency is still Full.
        wait_until(lambda: nbr(lab)["deadSeconds"] == 0, timeout=15,
                   what="f1 silent past r1's dead interval")
        n = nbr(lab)
        assert n["state"] == "Full" and \
            n["grHelper"]["state"] == "helping", n
        assert routes_via_f1(lab)
        start_frr_ospfd(lab)
        wait_until(lambda: gr(lab)["helperExits"]["success"] == 1,
                   timeout=60, what="r1 ends helping: success")
        converged(lab)
    finally:
        events = mon.stop()
    n = nbr(lab)
    assert n["grHelper"]["state"] == "not helping", n
    assert n["grHelper"]["lastExitReason"] == "success", n
    g = gr(lab)
    assert g["helping"] == 0 and g["helperEntered"] == 1, g
    assert g["helperExits"]["topologyChange"] == 0, g
    assert g["helperExits"]["gracePeriodExpired"] == 0, g
    assert mon.touched(THROUGH_F1) == [], events
    check_schema(lab)


def test_restart_not_helped_when_disabled(lab):
    """The same restart without helping: the routes go and come back
    (so the first test could fail)."""
    converged(lab)
    lab.wp_configure("r1", "router ospf",
                     "no graceful-restart helper enable")
    wait_until(lambda: gr(lab)["helperEnabled"] is False, timeout=15,
               what="helping disabled on r1")
    mon = RouteMonitor(lab, "r1")
    mon.start()
    try:
        lab.frr_cmd("f1", "graceful-restart prepare ip ospf")
        wait_until(lambda: gr(lab)["helperRefused"] >= 1, timeout=15,
                   what="r1 refuses to help")
        stop_frr_ospfd(lab)
        wait_until(lambda: nbr(lab) is None, timeout=15,
                   what="r1 drops f1 after the dead interval")
        wait_until(lambda: not any(lab.has_route("r1", p)
                                   for p in THROUGH_F1), timeout=15,
                   what="routes through f1 leave r1's kernel")
        start_frr_ospfd(lab)
        converged(lab)
    finally:
        mon.stop()
    assert mon.touched(THROUGH_F1) != []
    assert nbr(lab)["grHelper"]["state"] == "not helping"


def frr_helper(lab):
    """f1's ``show ip ospf graceful-restart helper detail`` (text)."""
    return lab.frr_cmd("f1", "show ip ospf graceful-restart helper detail")


def frr_full_with_r1(lab):
    js = lab.frr_json("f1", "show ip ospf neighbor")
    return any(n.get("state", n.get("nbrState", "")).startswith("Full")
               for n in js.get("neighbors", {}).get(R1, []))


def frr_grace_remaining(lab):
    m = re.search(r"Remaining GraceTime:(\d+)", frr_helper(lab))
    return int(m.group(1)) if m else None


def test_waypoint_restarts_gracefully(lab):
    converged(lab)
    lab.wp_configure("r1", "router ospf", "graceful-restart helper enable")
    assert gr(lab)["restartEnabled"] is True
    wait_until(lambda: frr_full_with_r1(lab), timeout=30,
               what="f1 Full with r1")
    monf = RouteMonitor(lab, "f1")
    monr = RouteMonitor(lab, "r1")
    monf.start()
    monr.start()
    try:
        out = lab.wp_cmd("r1", "graceful-restart prepare ip ospf",
                         daemon="ospfd")
        assert "Grace-LSAs sent on 1 interface" in out, out
        assert gr(lab)["prepared"] is True
        wait_until(lambda: "Routerid : %s" % R1 in frr_helper(lab),
                   timeout=15, what="f1 helps r1")
        rec = [d for d in stm.load(lab.name)["nodes"]["r1"]["daemons"]
               if d["name"] == "ospfd"][0]
        pid = lab.wp_pid("r1", "ospfd")
        os.kill(pid, signal.SIGTERM)
        wait_until(lambda: not os.path.exists("/proc/%d" % pid),
                   timeout=15, what="r1's ospfd exits")
        # Silent past f1's dead interval: f1 keeps helping, Full.
        wait_until(lambda: (frr_grace_remaining(lab) or GRACE) <
                   GRACE - DEAD - 1, timeout=15,
                   what="r1 silent past f1's dead interval")
        assert frr_full_with_r1(lab)
        lab.exec("r1", list(rec["cmd"]))
        wait_until(lambda: gr(lab).get("restartExitReason") ==
                   "all adjacencies re-established", timeout=60,
                   what="r1's restart done")
        wait_until(lambda: "Successful graceful restart" in
                   frr_helper(lab), timeout=30,
                   what="f1 ends helping: success")
        converged(lab)
        wait_until(lambda: lab.has_route("f1", R1 + "/32",
                                         via="10.0.1.1"),
                   timeout=15, what="f1's route to r1")
    finally:
        evf = monf.stop()
        evr = monr.stop()
    g = gr(lab)
    assert g["restarting"] is False and g["prepared"] is False, g
    assert monf.touched([R1 + "/32"]) == [], evf
    assert monr.touched(THROUGH_F1) == [], evr
