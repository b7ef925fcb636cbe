"""Waypoint and BIRD 2 side by side: static routes on both, end to end.

    h1 - w1 (Waypoint: ribd) - b1 (BIRD 2: static, kernel) - h2

Asserted on real state: both kernel FIBs (ribd: proto static, metric 20;
BIRD: proto bird, metric 32), ribd's ``show ip route json``, BIRD's
``show route`` and pings end to end over IPv4 and IPv6.

    sudo /usr/bin/python3 -m pytest -v tests/interop/bird_static
"""

import os
import re

from lablib.fixtures import lab_fixture
from lablib.harness import require_bird, require_waypoint, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "io-bird")


def _needs():
    require_bird()
    require_waypoint("ribd")


lab = lab_fixture(TOPO, requires=_needs)


def test_end_to_end(lab):
    wait_until(lambda: lab.ping("h1", "10.2.0.10"), timeout=20,
               what="h1 reaches h2 over IPv4")
    wait_until(lambda: lab.ping("h2", "2001:db8:1::10"), timeout=20,
               what="h2 reaches h1 over IPv6")
    assert lab.ping("w1", "10.255.0.2")
    assert lab.ping("b1", "10.255.0.1")


def test_kernel_fibs(lab):
    for node, prefix, gw, proto in (
            ("w1", "10.2.0.0/24", "10.0.12.2", "static"),
            ("w1", "10.255.0.2/32", "10.0.12.2", "static"),
            ("w1", "2001:db8:2::/64", "2001:db8:12::2", "static"),
            ("b1", "10.1.0.0/24", "10.0.12.1", "bird"),
            ("b1", "10.255.0.1/32", "10.0.12.1", "bird"),
            ("b1", "2001:db8:1::/64", "2001:db8:12::1", "bird")):
        wait_until(lambda: lab.has_route(node, prefix, via=gw,
                                         protocol=proto),
                   timeout=15, what="%s's FIB: %s via %s, proto %s"
                   % (node, prefix, gw, proto))
    assert lab.route("w1", "10.2.0.0/24")["metric"] == 20
    assert lab.route("b1", "10.1.0.0/24")["metric"] == 32


def test_daemon_views(lab):
    lab.wait_json("w1", "show ip route", {
        "10.2.0.0/24": [{"protocol": "static", "selected": True,
                         "installed": True,
                         "nexthops": [{"ip": "10.0.12.2", "fib": True}]}],
        "10.255.0.2/32": [{"protocol": "static", "selected": True}],
    }, timeout=15)
    out = lab.bird_cmd("b1", "show route")
    # "10.1.0.0/24   unicast [static4 10:25:32.268] * (200)"
    #  "	via 10.0.12.1 on eth1"
    for prefix, gw in (("10.1.0.0/24", "10.0.12.1"),
                       ("10.255.0.1/32", "10.0.12.1"),
                       ("2001:db8:1::/64", "2001:db8:12::1")):
        m = re.search(r"^%s\s+unicast \[static[46] [^]]*\] \* \(200\)\n"
                      r"\s+via %s on eth1$" % (re.escape(prefix),
                                                re.escape(gw)), out, re.M)
        assert m, "b1 'show route' lacks %s via %s:\n%s" % (prefix, gw, out)
    proto = lab.bird_cmd("b1", "show protocols")
    assert re.search(r"^kernel4\s+Kernel\s+master4\s+up\b", proto, re.M), proto
