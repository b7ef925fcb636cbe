"""The demo (topologies/demo) as the README runs it: r1..r4 in a ring
running OSPF, h1 on r1, h2 on r3.

It comes up, h1 reaches h2, every router's kernel FIB holds exactly the
OSPF routes the ring gives (installed by ribd for ospfd; the router
opposite is reached over both neighbours), ospfd and ribd agree on each,
a cut of r1-r2 is routed around and healed when the link returns, and
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
# The ring's links and their prefixes (gone from OSPF when cut).
LINKS = {("r1", "r2"): "10.0.12.0/24", ("r2", "r3"): "10.0.23.0/24",
         ("r3", "r4"): "10.0.34.0/24", ("r1", "r4"): "10.0.14.0/24"}
RING = set(LINKS)
# Loopbacks and host LANs and the router each is attached to.
STUBS = {"10.255.0.%d/32" % i: "r%d" % i for i in range(1, 5)}
STUBS.update({"10.1.1.0/24": "r1", "10.3.1.0/24": "r3"})
LOOPBACKS = ["10.255.0.%d" % i for i in range(1, 5)]


def _hops(links):
    """{(a, b): hop count} over LINKS (every link costs the same, 10)."""
    nbrs = {r: {b for a, b in links if a == r} | {a for a, b in links
                                                    if b == r}
            for r in ROUTERS}
    dist = {}
    for src in ROUTERS:
        seen, front, d = {src: 0}, [src], 0
        while front:
            d += 1
            front = [n for f in front for n in sorted(nbrs[f])
                     if n not in seen and not seen.update({n: d})]
        for dst, n in seen.items():
            dist[(src, dst)] = n
    return nbrs, dist


def expected_fib(router, links=RING):
    """{prefix: {gateways}}: the OSPF routes ROUTER must have, all its
    equal-cost first hops for each (the prefixes of its own links and
    LANs are the kernel's, not OSPF's)."""
    nbrs, dist = _hops(links)
    prefixes = {p: {r} for p, r in STUBS.items()}
    prefixes.update({p: set(link) for link, p in LINKS.items()
                     if link in links})
    out = {}
    for p, att in prefixes.items():
        if router in att:
            continue
        reach = [a for a in att if (router, a) in dist]
        if not reach:
            continue
        best = min(dist[(router, a)] for a in reach)
        gws = set()
        for a in reach:
            if dist[(router, a)] != best:
                continue
            for n in nbrs[router]:
                if (n, a) in dist and dist[(n, a)] == best - 1:
                    gws.add(GW[router][n])
        out[p] = gws
    return out


lab = lab_fixture(DEMO, requires=lambda: require_waypoint("ribd", "ospfd"))


def _ospf_fib(lab, node):
    """{prefix: {gateways}} of NODE's kernel routes of protocol ospf."""
    out = {}
    for r in lab.kernel_routes(node):
        if r.get("protocol") != "ospf":
            continue
        dst = r["dst"] if "/" in r["dst"] else r["dst"] + "/32"
        hops = r.get("nexthops") or [r]
        out[dst] = {h.get("gateway") for h in hops}
    return out


def _wait_fibs(lab, routers, links=RING, what="FIB"):
    for r in routers:
        want = expected_fib(r, links)
        wait_until(lambda: _ospf_fib(lab, r) == want, timeout=30,
                   what="%s's %s" % (r, what))


def test_h1_reaches_h2(lab):
    wait_until(lambda: lab.ping("h1", "10.3.1.10"), timeout=60,
               what="h1 reaches h2")
    assert lab.ping("h2", "10.1.1.10")


def test_kernel_fibs(lab):
    """Each router's FIB holds exactly the OSPF routes of the ring: the
    opposite router's loopback and LAN over both neighbours."""
    _wait_fibs(lab, ROUTERS, what="FIB holds the ring's OSPF routes")
    assert expected_fib("r1")["10.3.1.0/24"] == {"10.0.12.2", "10.0.14.4"}
    assert expected_fib("r1")["10.255.0.2/32"] == {"10.0.12.2"}


def test_ribd_and_ospfd_agree(lab):
    """ribd holds each OSPF route selected and installed at distance 110;
    ospfd reports each installed."""
    _wait_fibs(lab, ROUTERS)
    for r in ROUTERS:
        want = expected_fib(r)
        rib = lab.wp_json(r, "show ip route")
        for p, gws in want.items():
            c = [x for x in rib[p] if x["protocol"] == "ospf"]
            assert len(c) == 1 and c[0]["selected"] and c[0]["installed"], \
                (r, p, rib[p])
            assert c[0]["distance"] == 110
            assert {n["ip"] for n in c[0]["nexthops"]} == gws

        def reported():
            ospf = {x["prefix"]: x for x in lab.wp_json(
                r, "show ip ospf route", daemon="ospfd")["routes"]}
            return all(ospf[p]["installed"] and ospf[p]["fib"] ==
                       "installed" for p in want)
        wait_until(reported, timeout=15,
                   what="%s: ospfd reports its routes installed" % r)


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
    """r1 takes its link to r2 down (r2 loses carrier): OSPF routes every
    router around the ring the other way, h1 still reaches h2 (now via
    r4 both ways), every loopback stays reachable.  With the link back,
    the ring's routes return."""
    _wait_fibs(lab, ROUTERS)
    cut = RING - {("r1", "r2")}
    lab.exec("r1", "ip link set eth1 down")
    try:
        _wait_fibs(lab, ROUTERS, cut, what="FIB without r1-r2")
        assert expected_fib("r1", cut)["10.3.1.0/24"] == {"10.0.14.4"}
        wait_until(lambda: lab.ping("h1", "10.3.1.10"), timeout=15,
                   what="h1 reaches h2 around the cut")
        path = _path(lab, "h1", "10.3.1.10")
        assert "10.0.14.1" in path and "10.0.23.2" not in path, path
        for src in ("h1", "h2", "r1", "r2"):
            for dst in LOOPBACKS:
                assert lab.ping(src, dst), "%s -> %s after the cut" % (src,
                                                                       dst)
    finally:
        lab.exec("r1", "ip link set eth1 up")
    _wait_fibs(lab, ROUTERS, what="FIB back to the ring's")
    wait_until(lambda: lab.ping("h1", "10.3.1.10"), timeout=10,
               what="h1 reaches h2 again")


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
