"""OSPF unplanned graceful restart (RFC 3623 §2.1) next to FRR 8.4.

topologies/ogr2 (lab ``ogr2``): Waypoint r1 (ribd, ospfd with
``graceful-restart grace-period 120``) and FRR f1 (``graceful-restart
helper enable``) on a broadcast link, hello 1 s, dead 4 s, r1 the DR.
What is asserted:

* r1's ospfd killed with SIGKILL (no prepare, nothing said to anyone)
  and started again: it finds the marker the dead ospfd left, ribd still
  holds its routes, and it sends a Grace-LSA (reason unknown) on eth1
  before its first hello; f1 helps, keeps the adjacency Full, and ends
  helping with a successful restart;
* r1 learns from f1's hellos that it was the DR and is DR again (§2
  (3)), so the network-LSA does not change and f1 sees no topology
  change;
* throughout, f1's kernel keeps its route to r1's loopback and r1's
  kernel its routes through f1: ``ip monitor route`` shows no change;
* without ``graceful-restart`` on r1 the same kill is an ordinary
  restart: f1 drops the adjacency and its route to r1 changes (so the
  first test could fail);
* ``max-metric router-lsa on-shutdown 30`` (RFC 6987): r1's ospfd
  stopped with SIGTERM first floods its router-LSA with the transit link
  at MaxLinkMetric and exits once f1 acknowledged it: the router-LSA f1
  keeps after r1 went has 65535 there (without the setting, the normal
  cost).
"""

import os
import re
import signal
import time

from lablib import state as stm
from lablib.fixtures import lab_fixture
from lablib.harness import require_frr, require_waypoint, wait_until
from lablib.monitor import RouteMonitor

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "ogr2")
F1 = "10.255.0.11"
R1 = "10.255.0.1"
THROUGH_F1 = ["10.255.0.11/32", "10.0.2.0/24"]
THROUGH_R1 = [R1 + "/32"]


lab = lab_fixture(TOPO, requires=lambda: (
    require_frr("ospfd"), require_waypoint("ribd", "ospfd")))


def gr(lab):
    return lab.wp_json("r1", "show ip ospf", daemon="ospfd")[
        "gracefulRestart"]


def r1_eth1(lab):
    js = lab.wp_json("r1", "show ip ospf interface", daemon="ospfd")
    return [i for i in js["interfaces"] if i["name"] == "eth1"][0]


def r1_full(lab):
    js = lab.wp_json("r1", "show ip ospf neighbor", daemon="ospfd")
    return any(n["routerId"] == F1 and n["state"] == "Full"
               for n in js["neighbors"])


def f1_full(lab):
    js = lab.frr_json("f1", "show ip ospf neighbor")
    return any(n.get("state", n.get("nbrState", "")).startswith("Full")
               for n in js.get("neighbors", {}).get(R1, []))


def nothing_to_retransmit(lab):
    """Neither side waits for an acknowledgement from the other: a
    helper refuses a Grace-LSA while changed LSAs wait (§3.1)."""
    js = lab.wp_json("r1", "show ip ospf neighbor", daemon="ospfd")
    fr = lab.frr_json("f1", "show ip ospf neighbor").get("neighbors", {})
    return all(n["retransmitCount"] == 0 for n in js["neighbors"]) and \
        all(n.get("retransmitCounter", 0) == 0 for n in fr.get(R1, []))


def converged(lab):
    wait_until(lambda: r1_full(lab) and f1_full(lab) and
               nothing_to_retransmit(lab), timeout=40,
               what="r1 and f1 Full, nothing to retransmit")
    wait_until(lambda: all(lab.has_route("r1", p, via="10.0.1.2")
                           for p in THROUGH_F1) and
               lab.has_route("f1", R1 + "/32", via="10.0.1.1"),
               timeout=30, what="routes both ways in the kernels")


def frr_helper(lab):
    return lab.frr_cmd("f1", "show ip ospf graceful-restart helper detail")


def kill_and_start(lab):
    """SIGKILL r1's ospfd and start it again with the lab's command."""
    rec = [d for d in stm.load(lab.name)["nodes"]["r1"]["daemons"]
           if d["name"] == "ospfd"][0]
    pid = lab.wp_pid("r1", "ospfd")
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not os.path.exists("/proc/%d" % pid), timeout=15,
               what="r1's ospfd gone")
    lab.exec("r1", list(rec["cmd"]))


def test_unplanned_restart_is_graceful(lab):
    converged(lab)
    assert gr(lab)["restartEnabled"] is True
    wait_until(lambda: r1_eth1(lab)["state"] == "DR", timeout=30,
               what="r1 DR on eth1")
    monf = RouteMonitor(lab, "f1")
    monr = RouteMonitor(lab, "r1")
    monf.start()
    monr.start()
    try:
        kill_and_start(lab)
        wait_until(lambda: gr(lab).get("restartExitReason") ==
                   "all adjacencies re-established", timeout=60,
                   what="r1's unplanned restart done")
        g = gr(lab)
        assert g["unplanned"] is True and g["graceLsasBeforeHello"] == 1, g
        wait_until(lambda: "Successful graceful restart" in
                   frr_helper(lab), timeout=30,
                   what="f1 ends helping: success")
        assert "Topology change" not in frr_helper(lab)
        converged(lab)
    finally:
        evf = monf.stop()
        evr = monr.stop()
    assert r1_eth1(lab)["state"] == "DR"
    assert gr(lab)["restarting"] is False
    assert monf.touched(THROUGH_R1) == [], evf
    assert monr.touched(THROUGH_F1) == [], evr


def test_unplanned_restart_without_graceful_restart(lab):
    converged(lab)
    lab.wp_configure("r1", "router ospf", "no graceful-restart")
    wait_until(lambda: gr(lab)["restartEnabled"] is False, timeout=15,
               what="graceful-restart off on r1")
    mon = RouteMonitor(lab, "f1")
    mon.start()
    try:
        kill_and_start(lab)
        wait_until(lambda: not f1_full(lab), timeout=15,
                   what="f1 drops the adjacency")
        converged(lab)
    finally:
        mon.stop()
    g = gr(lab)
    assert g["unplanned"] is False and g["graceLsasBeforeHello"] == 0, g
    assert mon.touched(THROUGH_R1) != []


def f1_r1_metrics(lab):
    """The metrics of r1's router-LSA in f1's database."""
    out = lab.frr_cmd("f1", "show ip ospf database router " + R1)
    return [int(m) for m in re.findall(r"TOS 0 Metric: (\d+)", out)]


def stop_and_start(lab):
    """SIGTERM r1's ospfd, wait until it is gone, start it again; the
    seconds it took to exit."""
    rec = [d for d in stm.load(lab.name)["nodes"]["r1"]["daemons"]
           if d["name"] == "ospfd"][0]
    pid = lab.wp_pid("r1", "ospfd")
    t0 = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not os.path.exists("/proc/%d" % pid), timeout=30,
               what="r1's ospfd exits")
    took = time.monotonic() - t0
    metrics = f1_r1_metrics(lab)
    lab.exec("r1", list(rec["cmd"]))
    return metrics, took


def test_max_metric_on_shutdown(lab):
    # Without on-shutdown, the router-LSA f1 keeps is the normal one
    # (so the check below could fail).
    converged(lab)
    metrics, took = stop_and_start(lab)
    assert metrics and 0xffff not in metrics, metrics
    print("without on-shutdown: r1's ospfd stopped %.2f s after SIGTERM"
          % took)
    converged(lab)
    lab.wp_configure("r1", "router ospf",
                     "max-metric router-lsa on-shutdown 30")
    wait_until(lambda: lab.wp_json("r1", "show ip ospf", daemon="ospfd")[
        "maxMetric"]["onShutdownSeconds"] == 30, timeout=15,
        what="on-shutdown configured on r1")
    assert 0xffff not in f1_r1_metrics(lab)
    metrics, took = stop_and_start(lab)
    # The transit link at MaxLinkMetric (RFC 6987), the loopback's stub
    # link at its cost, before r1 went.
    assert 0xffff in metrics and min(metrics) < 0xffff, metrics
    m = re.search(r"max-metric on-shutdown: router-LSAs acknowledged "
                  r"after [0-9.]+ s", lab.logs("r1"))
    assert m, lab.logs("r1")
    print("r1's ospfd stopped %.2f s after SIGTERM (%s)" % (took, m.group(0)))
    converged(lab)
    wait_until(lambda: 0xffff not in f1_r1_metrics(lab), timeout=15,
               what="r1's router-LSA back to its costs")
    lab.wp_configure("r1", "router ospf",
                     "no max-metric router-lsa on-shutdown")
