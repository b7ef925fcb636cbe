"""The demo (topologies/demo) as the README runs it: r1..r4 in a ring, h1
on r1, h2 on r3, static routes with floating backups until ospfd lands.

It comes up, h1 reaches h2, every router's kernel FIB holds the routes the
configs describe (and ribd holds each backup), a cut of r1-r2 is survived
through the floating statics and healed when the link returns, and
'labctl down' leaves no namespace, veth, process or file behind.

    sudo /usr/bin/python3 -m pytest -v tests/topo/demo
"""

import json
import os
import re
import subprocess

from lablib import state as stm
from lablib.fixtures import lab_fixture
from lablib.harness import require_waypoint, wait_until
from lablib.system import netns_list, pid_alive

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
DEMO = os.path.join(REPO, "topologies", "demo")

ROUTERS = ["r1", "r2", "r3", "r4"]
# Each router's neighbours: the gateway address towards each.
GW = {"r1": {"r2": "10.0.12.2", "r4": "10.0.14.4"},
      "r2": {"r1": "10.0.12.1", "r3": "10.0.23.3"},
      "r3": {"r2": "10.0.23.2", "r4": "10.0.34.4"},
      "r4": {"r3": "10.0.34.3", "r1": "10.0.14.1"}}
# Static routes of each router: prefix -> the neighbour of the primary
# route (the floating one, distance 200, goes to the other neighbour).
PRIMARY = {
    "r1": {"10.255.0.2/32": "r2", "10.255.0.3/32": "r2",
           "10.255.0.4/32": "r4", "10.3.1.0/24": "r2",
           "10.0.23.0/24": "r2", "10.0.34.0/24": "r4"},
    "r2": {"10.255.0.1/32": "r1", "10.255.0.3/32": "r3",
           "10.255.0.4/32": "r3", "10.1.1.0/24": "r1", "10.3.1.0/24": "r3",
           "10.0.34.0/24": "r3", "10.0.14.0/24": "r1"},
    "r3": {"10.255.0.1/32": "r4", "10.255.0.2/32": "r2",
           "10.255.0.4/32": "r4", "10.1.1.0/24": "r4",
           "10.0.12.0/24": "r2", "10.0.14.0/24": "r4"},
    "r4": {"10.255.0.1/32": "r1", "10.255.0.2/32": "r3",
           "10.255.0.3/32": "r3", "10.1.1.0/24": "r1", "10.3.1.0/24": "r3",
           "10.0.12.0/24": "r1", "10.0.23.0/24": "r3"},
}
LOOPBACKS = ["10.255.0.%d" % i for i in range(1, 5)]


def _other(router, nbr):
    return [n for n in GW[router] if n != nbr][0]


lab = lab_fixture(DEMO, requires=lambda: require_waypoint("ribd"))


def _statics(lab, node):
    """{prefix: gateway} of NODE's kernel routes of protocol static."""
    out = {}
    for r in lab.kernel_routes(node):
        if r.get("protocol") == "static":
            dst = r["dst"] if "/" in r["dst"] else r["dst"] + "/32"
            out[dst] = r.get("gateway")
    return out


def test_h1_reaches_h2(lab):
    wait_until(lambda: lab.ping("h1", "10.3.1.10"), timeout=30,
               what="h1 reaches h2")
    assert lab.ping("h2", "10.1.1.10")


def test_kernel_fibs(lab):
    """Each router's FIB holds exactly the primary static routes, proto
    static from ribd (metric 20)."""
    for r in ROUTERS:
        want = {p: GW[r][n] for p, n in PRIMARY[r].items()}
        wait_until(lambda: _statics(lab, r) == want, timeout=15,
                   what="%s's FIB holds its static routes" % r)
        for p in want:
            assert lab.route(r, p)["metric"] == 20


def test_ribd_holds_the_backups(lab):
    """ribd has both candidates for every prefix: distance 1 selected and
    installed, the floating distance 200 the other way, standing by."""
    for r in ROUTERS:
        exp = {}
        for p, n in PRIMARY[r].items():
            exp[p] = [{"protocol": "static", "distance": 1, "selected": True,
                       "installed": True,
                       "nexthops": [{"ip": GW[r][n], "active": True}]},
                      {"protocol": "static", "distance": 200,
                       "selected": False,
                       "nexthops": [{"ip": GW[r][_other(r, n)]}]}]
        lab.wait_json(r, "show ip route", exp, timeout=15)


def test_loopbacks_reachable(lab):
    for src in ROUTERS + ["h1", "h2"]:
        for dst in LOOPBACKS:
            wait_until(lambda: lab.ping(src, dst), timeout=10,
                       what="%s reaches %s" % (src, dst))


def _path(lab, src, dst):
    """The addresses recorded by 'ping -R' from SRC to DST and back."""
    out = lab.exec(src, "ping -n -c1 -W1 -R %s" % dst)
    m = re.search(r"RR:\s+(.*?)\n\n", out, re.S)
    return m.group(1).split() if m else []


def test_cut_r1_r2_fails_over(lab):
    """r1 takes its link to r2 down (r2 loses carrier): r1 and r2 turn to
    their floating statics, h1 still reaches h2 (now via r4), and every
    loopback stays reachable.  With the link back, the primaries return."""
    assert "10.0.23.2" in _path(lab, "h1", "10.3.1.10")    # via r2
    lab.exec("r1", "ip link set eth1 down")
    try:
        for r, nbr in (("r1", "r4"), ("r2", "r3")):
            want = {p: GW[r][nbr] for p in PRIMARY[r]
                    if not p.startswith("10.0.12.")}
            wait_until(lambda: _statics(lab, r) == want, timeout=15,
                       what="%s routes everything via %s" % (r, nbr))
        sel = [c for c in lab.wp_json("r1", "show ip route")["10.3.1.0/24"]
               if c["selected"]]
        assert len(sel) == 1 and sel[0]["distance"] == 200
        wait_until(lambda: lab.ping("h1", "10.3.1.10"), timeout=15,
                   what="h1 reaches h2 over the backup path")
        path = _path(lab, "h1", "10.3.1.10")
        assert "10.0.14.1" in path and "10.0.23.2" not in path, path
        for src in ("h1", "h2", "r1", "r2"):
            for dst in LOOPBACKS:
                assert lab.ping(src, dst), "%s -> %s after the cut" % (src,
                                                                       dst)
    finally:
        lab.exec("r1", "ip link set eth1 up")
    for r in ROUTERS:
        want = {p: GW[r][n] for p, n in PRIMARY[r].items()}
        wait_until(lambda: _statics(lab, r) == want, timeout=15,
                   what="%s back on its primary routes" % r)
    wait_until(lambda: "10.0.23.2" in _path(lab, "h1", "10.3.1.10"),
               timeout=10, what="h1 -> h2 via r2 again")


def _root_temp_links():
    out = subprocess.run(["ip", "-j", "link", "show"], capture_output=True,
                         text=True, check=True).stdout
    return {l["ifname"] for l in json.loads(out)
            if re.fullmatch(r"wl[0-9a-f]{8}[ab]", l["ifname"])}


def test_down_leaves_nothing(lab):
    """'labctl down' removes every namespace, veth, process and file of the
    lab, and ribd reported no leak on its way out."""
    st = stm.load(lab.name)
    namespaces = list(st["namespaces"])
    pids = [p for ns in namespaces for p in
            subprocess.run(["ip", "netns", "pids", ns], capture_output=True,
                           text=True).stdout.split()]
    assert len(pids) >= 4                     # ribd on r1..r4 at least
    sockdirs = [nst["sockets"]["dir"] for nst in st["nodes"].values()
                if nst["role"] == "waypoint"]
    assert all(os.path.isdir(d) for d in sockdirs)
    temp_before = _root_temp_links()
    assert lab.down() == []
    assert not [n for n in netns_list() if n in namespaces]
    assert not [p for p in pids if pid_alive(int(p))]
    assert not [d for d in sockdirs if os.path.exists(d)]
    assert not os.path.exists(stm.lab_dir(lab.name))
    assert not (_root_temp_links() - temp_before)
    assert lab.name not in stm.labs_up()
