"""Waypoint and FRR side by side: static routes on both, end to end.

    h1 - w1 (Waypoint: ribd) - f1 (FRR 8.4: zebra, staticd) - h2

Each router routes the other's LAN and loopback statically.  Asserted on
real state: both kernel FIBs (ribd installs proto static, metric 20,
classic gateway routes; zebra the same protocol through nexthop objects),
both daemons' own views (``show ip route json``, compared with the
expected files beside this test), pings end to end, and a carrier loss
on the FRR side seen by ribd.

    sudo /usr/bin/python3 -m pytest -v tests/interop/frr_static
"""

import os

from lablib.fixtures import lab_fixture
from lablib.harness import (json_cmp, require_frr, require_waypoint,
                            wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "io-frr")
EXPECTED = os.path.join(HERE, "expected")


def _needs():
    require_frr()
    require_waypoint("ribd")


lab = lab_fixture(TOPO, requires=_needs)


def test_end_to_end(lab):
    wait_until(lambda: lab.ping("h1", "10.2.0.10"), timeout=20,
               what="h1 reaches h2 over IPv4")
    wait_until(lambda: lab.ping("h2", "2001:db8:1::10"), timeout=20,
               what="h2 reaches h1 over IPv6")
    # router to router, loopback to loopback
    assert lab.ping("w1", "10.255.0.2")
    assert lab.ping("f1", "10.255.0.1")


def test_kernel_fibs(lab):
    """Both FIBs hold the other side's prefixes as proto static (196),
    metric 20; zebra uses nexthop objects (nhid), ribd plain gateways."""
    wait_until(lambda: lab.has_route("w1", "10.2.0.0/24", via="10.0.12.2",
                                     protocol="static"),
               timeout=15, what="w1's FIB: h2's LAN via f1")
    wait_until(lambda: lab.has_route("f1", "10.1.0.0/24", via="10.0.12.1",
                                     protocol="static"),
               timeout=15, what="f1's FIB: h1's LAN via w1")
    for node, prefix, gw in (("w1", "10.255.0.2/32", "10.0.12.2"),
                             ("f1", "10.255.0.1/32", "10.0.12.1"),
                             ("w1", "2001:db8:2::/64", "2001:db8:12::2"),
                             ("f1", "2001:db8:1::/64", "2001:db8:12::1")):
        r = wait_until(lambda: lab.route(node, prefix), timeout=10,
                       what="%s has %s" % (node, prefix))
        assert r.get("gateway") == gw and r["protocol"] == "static", r
    w = lab.route("w1", "10.2.0.0/24")
    f = lab.route("f1", "10.1.0.0/24")
    assert w["metric"] == 20 and f["metric"] == 20
    # Both install through kernel nexthop objects.
    assert "nhid" in w, w
    assert "nhid" in f, f


def test_daemon_views(lab):
    """ribd and FRR answer 'show ip route json' with the same keys: one
    expected file per router, wildcards only for the uptimes."""
    lab.wait_json("w1", "show ip route",
                  os.path.join(EXPECTED, "w1-show-ip-route.json"),
                  timeout=15)
    lab.wait_json("f1", "show ip route",
                  os.path.join(EXPECTED, "f1-show-ip-route.json"),
                  timeout=15)
    # The same document, mirrored, describes both: the suites agree on
    # what a selected, installed static route looks like.
    shape = {"protocol": "static", "selected": True, "destSelected": True,
             "installed": True, "distance": 1, "metric": 0, "table": 254,
             "uptime": "re:[0-9]{2}:[0-9]{2}:[0-9]{2}",
             "nexthops": [{"afi": "ipv4", "interfaceName": "eth1",
                           "active": True, "fib": True}]}
    w = lab.wp_json("w1", "show ip route")["10.2.0.0/24"]
    f = lab.frr_json("f1", "show ip route")["10.1.0.0/24"]
    assert json_cmp(w, [shape], ignore=()) is None, json_cmp(w, [shape])
    assert json_cmp(f, [shape], ignore=()) is None, json_cmp(f, [shape])
    # IPv6 too
    w6 = lab.wp_json("w1", "show ipv6 route")
    f6 = lab.frr_json("f1", "show ipv6 route")
    assert json_cmp(w6, {"2001:db8:2::/64": [{
        "selected": True, "nexthops": [{"ip": "2001:db8:12::2"}]}]}) is None
    assert json_cmp(f6, {"2001:db8:1::/64": [{
        "selected": True, "nexthops": [{"ip": "2001:db8:12::1"}]}]}) is None


def test_views_match_fibs(lab):
    """Every static route each daemon says it installed is in its
    namespace's kernel FIB with the same gateway."""
    for node, show in (("w1", lab.wp_json), ("f1", lab.frr_json)):
        routes = show(node, "show ip route")
        statics = [r for rs in routes.values() for r in rs
                   if r["protocol"] == "static" and r.get("installed")]
        assert len(statics) == 2, (node, statics)
        for r in statics:
            k = lab.route(node, r["prefix"])
            assert k is not None, (node, r["prefix"])
            assert k["gateway"] == r["nexthops"][0]["ip"], (node, k, r)


def test_carrier_loss_on_the_frr_side(lab):
    """f1 takes its link down: w1 loses carrier, ribd makes its statics
    through f1 inactive and removes them from the FIB; when the link is
    back, both sides reinstall and traffic flows again."""
    lab.exec("f1", "ip link set eth1 down")
    try:
        wait_until(lambda: not lab.has_route("w1", "10.2.0.0/24"),
                   timeout=10, what="w1 withdraws h2's LAN")
        r = lab.wp_json("w1", "show ip route")["10.2.0.0/24"][0]
        assert not r["selected"] and not r["nexthops"][0]["active"]
        wait_until(lambda: not lab.has_route("f1", "10.1.0.0/24"),
                   timeout=10, what="f1 withdraws h1's LAN")
        assert not lab.ping("h1", "10.2.0.10")
    finally:
        lab.exec("f1", "ip link set eth1 up")
    wait_until(lambda: lab.has_route("w1", "10.2.0.0/24", via="10.0.12.2",
                                     protocol="static"),
               timeout=15, what="w1 reinstalls h2's LAN")
    wait_until(lambda: lab.has_route("f1", "10.1.0.0/24", via="10.0.12.1"),
               timeout=15, what="f1 reinstalls h1's LAN")
    wait_until(lambda: lab.ping("h1", "10.2.0.10"), timeout=15,
               what="h1 reaches h2 again")
