"""NETCONF <get> with operational state (RFC 6241 §7.7): the running
configuration and the daemons' state, as the config false nodes of
waypoint-interface, waypoint-routing, waypoint-ospf and waypoint-bfd.

Topology r1 - r2, r1 - h1 (topologies/ncop, lab prefix ncop).  r1 runs
mgmtd, ribd, ospfd and bfdd, r2 is its OSPF and BFD peer; the test
starts netconfd in r1's namespace.  Every answer is checked against
the real thing: the kernel FIB and links of r1, r2's own view of the
adjacency and the session.  A daemon stopped (SIGSTOP) or gone is left
out of the answer."""

import os
import signal
import xml.etree.ElementTree as ET

import pytest

from lablib import roles
from lablib.harness import module_lab, require_root, wait_until

ncclient = pytest.importorskip("ncclient")
from ncserver import serve  # noqa: E402
from ncxml import IF_NS, RT_NS, session  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "ncop")
PORT = 8831
OSPF_NS = "urn:waypoint:yang:waypoint-ospf"
BFD_NS = "urn:waypoint:yang:waypoint-bfd"


@pytest.fixture(scope="module")
def lab():
    require_root()
    find = roles.waypoint_bindir()
    if find is None or not all(find(d) for d in ("mgmtd", "ribd", "ospfd",
                                                  "bfdd", "netconfd")):
        pytest.skip("mgmtd, ribd, ospfd, bfdd or netconfd is not built "
                    "(netconfd needs libnetconf2)")
    yield from module_lab(TOPO)


@pytest.fixture(scope="module")
def ncd(lab, tmp_path_factory):
    yield from serve(lab, "r1", str(tmp_path_factory.mktemp("ncop")), PORT)


@pytest.fixture
def nc(ncd):
    yield from session(ncd)


def get(nc, body):
    """<get> with a subtree filter, as an ElementTree root."""
    return ET.fromstring(nc.get(filter=("subtree", body)).data_xml)


def q(ns, path):
    """'a/b' -> '{ns}a/{ns}b' for ElementTree."""
    return "/".join("{%s}%s" % (ns, p) for p in path.split("/"))


def text(elem, ns, path):
    e = elem.find(q(ns, path))
    return None if e is None else e.text


def routes(root, rib):
    """{(prefix, protocol): route element} of one rib."""
    out = {}
    for r in root.iterfind(q(RT_NS, "routing/ribs/rib")):
        if text(r, RT_NS, "name") != rib:
            continue
        for rt in r.iterfind(q(RT_NS, "routes/route")):
            out[(text(rt, RT_NS, "destination-prefix"),
                 text(rt, RT_NS, "source-protocol"))] = rt
    return out


def nexthops(route):
    return [{c.tag.split("}")[1]: c.text for c in nh}
            for nh in route.iterfind(q(RT_NS, "next-hop"))]


def interface(root, name):
    for i in root.iterfind(q(IF_NS, "interfaces/interface")):
        if text(i, IF_NS, "name") == name:
            return i
    return None


def test_rib(lab, nc):
    """A filter on the RIB: the static routes and the connected ones,
    with their nexthops and FIB flags as the kernel has them; nothing
    of the other modules."""
    wait_until(lambda: lab.has_route("r1", "10.71.0.0/16", via="10.0.7.2",
                                     protocol="static"),
               timeout=20, what="r1's static route in its FIB")
    root = get(nc, '<routing xmlns="%s"><ribs/></routing>' % RT_NS)
    v4 = routes(root, "ipv4-unicast")
    st = v4[("10.71.0.0/16", "static")]
    assert st.find(q(RT_NS, "active")) is not None
    assert text(st, RT_NS, "route-preference") == "1"
    assert text(st, RT_NS, "installed") == "true"
    nhs = nexthops(st)
    assert len(nhs) == 1, nhs
    assert nhs[0]["address"] == "10.0.7.2", nhs
    assert nhs[0]["active"] == "true" and nhs[0]["fib"] == "true", nhs
    conn = v4[("10.0.7.0/24", "connected")]
    assert conn.find(q(RT_NS, "active")) is not None
    nhs = nexthops(conn)
    assert nhs[0]["outgoing-interface"] == "eth1", nhs
    assert nhs[0]["directly-connected"] == "true", nhs
    # The kernel made this one itself (proto kernel): the fib flags are
    # ribd's own, whatever they say.
    shown = lab.wp_json("r1", "show ip route")
    for (prefix, proto), rt in v4.items():
        mine = [r for r in shown[prefix] if r["protocol"] == proto][0]
        assert text(rt, RT_NS, "installed") == \
            str(mine["installed"]).lower(), prefix
        assert [nh["fib"] for nh in nexthops(rt)] == \
            [str(nh.get("fib", False)).lower() for nh in mine["nexthops"]], \
            (prefix, nexthops(rt), mine)
    bh = nexthops(v4[("192.0.2.7/32", "static")])
    assert bh[0]["special-next-hop"] == "blackhole", bh
    # What the kernel has, <get> has, installed.
    kernel = {r["dst"] for r in lab.kernel_routes("r1", 4)
              if r.get("protocol") == "static"}
    assert {"10.71.0.0/16", "192.0.2.7"} <= kernel, kernel
    for (prefix, proto), rt in v4.items():
        if proto == "static":
            assert text(rt, RT_NS, "installed") == "true", prefix
    # Only what the filter selects: no configuration, no interfaces.
    out = ET.tostring(root, encoding="unicode")
    assert "static-routes" not in out and IF_NS not in out
    ribs = [text(r, RT_NS, "name")
            for r in root.iterfind(q(RT_NS, "routing/ribs/rib"))]
    assert ribs == ["ipv4-unicast", "ipv6-unicast"], ribs


def test_one_route(lab, nc, ncd):
    """A content match on one prefix: that route alone, and ribd is
    asked for that prefix only; a prefix of the other family does not
    ask ribd's IPv4 table at all."""
    root = get(nc, '<routing xmlns="%s"><ribs><rib><routes><route>'
               '<destination-prefix>10.71.0.0/16</destination-prefix>'
               '</route></routes></rib></ribs></routing>' % RT_NS)
    v4 = routes(root, "ipv4-unicast")
    assert list(v4) == [("10.71.0.0/16", "static")], list(v4)
    assert nexthops(v4[("10.71.0.0/16", "static")])[0]["address"] == \
        "10.0.7.2"
    log = ncd.logs()
    assert "netconf <get>: ribd: show ip route 10.71.0.0/16 json" in log
    assert "show ipv6 route 10.71.0.0/16" not in log
    root = get(nc, '<routing xmlns="%s"><ribs><rib><routes><route>'
               '<destination-prefix>2001:db8:77::/48</destination-prefix>'
               '</route></routes></rib></ribs></routing>' % RT_NS)
    assert len(root) == 0, ET.tostring(root, encoding="unicode")
    assert "netconf <get>: ribd: show ipv6 route 2001:db8:77::/48 json" \
        in ncd.logs()


def oper_status(nc, name):
    root = get(nc, '<interfaces xmlns="%s"><interface><name>%s</name>'
               '</interface></interfaces>' % (IF_NS, name))
    i = interface(root, name)
    assert i is not None, ET.tostring(root, encoding="unicode")
    return i


def test_interface_oper_status(lab, nc):
    """oper-status follows `ip link set down` and back; the MAC, the
    ifindex and the addresses are the kernel's."""
    link = lab.json("r1", ["ip", "-j", "link", "show", "eth2"])[0]
    i = oper_status(nc, "eth2")
    assert text(i, IF_NS, "oper-status") == "up"
    assert text(i, IF_NS, "admin-status") == "up"
    assert text(i, IF_NS, "phys-address") == link["address"]
    assert text(i, IF_NS, "if-index") == str(link["ifindex"])
    assert "10.0.8.1/24" in [a.text for a in
                             i.iterfind(q(IF_NS, "oper-address"))]
    # Configuration comes along: the description.
    assert text(i, IF_NS, "description") == "to h1"
    try:
        lab.exec("r1", ["ip", "link", "set", "eth2", "down"])
        wait_until(lambda: text(oper_status(nc, "eth2"), IF_NS,
                                "oper-status") == "down",
                   timeout=15, what="eth2 oper-status down in <get>")
        assert text(oper_status(nc, "eth2"), IF_NS,
                    "admin-status") == "down"
        # The link that stayed up says so.
        assert text(oper_status(nc, "eth1"), IF_NS, "oper-status") == "up"
    finally:
        lab.exec("r1", ["ip", "link", "set", "eth2", "up"])
    wait_until(lambda: text(oper_status(nc, "eth2"), IF_NS,
                            "oper-status") == "up",
               timeout=15, what="eth2 oper-status up again in <get>")


def test_ospf_and_bfd(lab, nc):
    """The adjacency and the session with r2, in the state r2 sees
    too."""
    def ospf_full():
        root = get(nc, '<ospf xmlns="%s"><neighbors/></ospf>' % OSPF_NS)
        n = root.find(q(OSPF_NS, "ospf/neighbors/neighbor"))
        return n is not None and text(n, OSPF_NS, "state") == "full" and n

    n = wait_until(ospf_full, timeout=40, what="r1-r2 OSPF full in <get>")
    assert text(n, OSPF_NS, "neighbor-router-id") == "10.255.7.2"
    assert text(n, OSPF_NS, "address") == "10.0.7.2"
    assert text(n, OSPF_NS, "interface") == "eth1"
    assert text(n, OSPF_NS, "area") == "0.0.0.0"
    peer = lab.wp_json("r2", "show ip ospf neighbor", daemon="ospfd")
    assert [x["state"] for x in peer["neighbors"]] == ["Full"], peer

    def bfd_up():
        root = get(nc, '<bfd xmlns="%s"><sessions/></bfd>' % BFD_NS)
        s = root.find(q(BFD_NS, "bfd/sessions/session"))
        return s is not None and text(s, BFD_NS, "local-state") == "up" \
            and s

    s = wait_until(bfd_up, timeout=30, what="r1-r2 BFD up in <get>")
    assert text(s, BFD_NS, "peer") == "10.0.7.2"
    assert text(s, BFD_NS, "interface") == "eth1"
    assert text(s, BFD_NS, "remote-state") == "up"
    assert text(s, BFD_NS, "local-diagnostic") == "none"
    assert text(s, BFD_NS, "desired-min-tx-interval") == "100000"
    r2 = lab.wp_json("r2", "show bfd peers", daemon="bfdd")["peers"][0]
    assert text(s, BFD_NS, "remote-discriminator") == \
        str(r2["localDiscriminator"])
    # The interface state of OSPF, under the same top node.
    root = get(nc, '<ospf xmlns="%s"><interface-state/></ospf>' % OSPF_NS)
    names = [text(i, OSPF_NS, "name") for i in
             root.iterfind(q(OSPF_NS, "ospf/interface-state/interface"))]
    assert "eth1" in names, names
    assert root.find(q(OSPF_NS, "ospf/neighbors")) is None


def test_get_config_has_no_state(lab, nc):
    """<get> without a filter: configuration and state; <get-config>:
    configuration only."""
    full = nc.get().data_xml
    for s in ("<hostname>r1</hostname>", "<oper-status>", "<ribs>",
              "<sessions>", "<neighbors>", "10.71.0.0/16"):
        assert s in full, s
    cfg = nc.get_config(source="running").data_xml
    assert "<hostname>r1</hostname>" in cfg and "10.71.0.0/16" in cfg
    for s in ("oper-status", "<ribs", "<sessions", "<neighbors",
              "interface-state", "phys-address"):
        assert s not in cfg, s


def test_daemon_silent_or_gone(lab, nc, ncd):
    """A daemon that does not answer (stopped) or does not run: its
    state is left out, the rest is there, no error."""
    nst = lab._node_state("r1", "waypoint")
    pid = [d for d in nst["daemons"] if d["name"] == "bfdd"][0]["pid"]
    assert "<sessions>" in nc.get().data_xml
    os.kill(pid, signal.SIGSTOP)
    try:
        out = nc.get().data_xml
    finally:
        os.kill(pid, signal.SIGCONT)
    assert "<sessions>" not in out
    assert "<oper-status>" in out and "<neighbors>" in out
    assert "netconf <get>: bfdd: show bfd peers json: Connection timed " \
        "out" in ncd.logs(), ncd.logs()
    wait_until(lambda: "<sessions>" in nc.get().data_xml, timeout=15,
               what="bfdd's sessions back in <get>")

    os.kill(pid, signal.SIGTERM)
    sock = os.path.join(nst["sockets"]["dir"], "bfdd.vty")
    wait_until(lambda: not os.path.exists(sock), timeout=15,
               what="r1's bfdd gone")
    out = nc.get().data_xml
    assert "<sessions>" not in out
    assert "<oper-status>" in out and "<neighbors>" in out
