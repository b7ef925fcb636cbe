"""NETCONF end to end: a NETCONF client (Debian's python3-ncclient) over
SSH -> netconfd -> mgmtd -> ribd -> the kernel of a network namespace.

Topology r1 - h1 (topologies/nce2e, lab prefix nce2e).  The lab runs
mgmtd and ribd in r1's namespace, ribd taking its configuration from
mgmtd; the test starts netconfd there too, listening on r1's loopback,
and reaches it with a socket made inside the namespace.  A static route
committed over NETCONF is in r1's FIB, in show running-config and in
vtysh's show ip route; deleted, it is gone from all of them; a commit
ribd refuses, or one YANG refuses, is an rpc-error naming the problem
and changes nothing.
Subtree filters (RFC 6241 §6) are checked on the same session."""

import os

import pytest

from lablib import roles
from lablib.harness import module_lab, require_root, wait_until

ncclient = pytest.importorskip("ncclient")
from ncclient.operations import RPCError  # noqa: E402
from ncserver import serve  # noqa: E402
from ncxml import IF_NS, RT_NS, config, route, session  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "nce2e")
PORT = 8830


@pytest.fixture(scope="module")
def lab():
    require_root()
    find = roles.waypoint_bindir()
    if find is None or not all(find(d) for d in ("mgmtd", "ribd",
                                                  "netconfd")):
        pytest.skip("mgmtd, ribd or netconfd is not built (netconfd "
                    "needs libnetconf2)")
    os.environ["WAYPOINT_RIB_FROM_MGMTD"] = "1"
    try:
        yield from module_lab(TOPO)
    finally:
        os.environ.pop("WAYPOINT_RIB_FROM_MGMTD", None)


@pytest.fixture(scope="module")
def ncd(lab, tmp_path_factory):
    yield from serve(lab, "r1", str(tmp_path_factory.mktemp("nce2e")), PORT)


@pytest.fixture
def nc(ncd):
    yield from session(ncd)


def running_text(lab):
    return lab.wp_cmd("r1", "show running-config", daemon="mgmtd")


def vtysh(lab, *cmds):
    """r1's vtysh, one -c per command; None when vtysh is not built."""
    vt = roles.waypoint_vtysh()
    if vt is None:
        return None
    argv = [vt, "--pathspace", lab.netns("r1")]
    for c in cmds:
        argv += ["-c", c]
    return lab.exec("r1", argv)


def static_routes(lab):
    """r1's kernel routes that ribd installed, {prefix: route}."""
    return {r["dst"]: r for r in lab.kernel_routes("r1", 4)
            if r.get("protocol") == "static"}


def snapshot(lab, nc):
    return (static_routes(lab), running_text(lab),
            nc.get_config(source="running").data_xml)


def test_route_to_kernel_and_back(lab, nc):
    """edit-config + commit: the route is in the kernel FIB and in the
    running configuration; a delete takes it out of both."""
    wait_until(lambda: lab.has_route("r1", "10.0.1.0/24"), timeout=15,
               what="r1 eth1 address from mgmtd")
    assert "10.99.0.0/24" not in static_routes(lab)
    nc.edit_config(target="candidate",
                   config=config(route("10.99.0.0/24", "10.0.1.2")))
    assert "10.99.0.0/24" not in static_routes(lab)   # candidate only
    nc.commit()
    wait_until(lambda: lab.has_route("r1", "10.99.0.0/24", via="10.0.1.2",
                                     protocol="static"),
               timeout=15, what="committed route in r1's FIB")
    assert "ip route 10.99.0.0/24 10.0.1.2\n" in running_text(lab)
    rib = lab.wp_json("r1", "show ip route")
    assert rib["10.99.0.0/24"][0]["protocol"] == "static", rib
    assert rib["10.99.0.0/24"][0]["installed"], rib
    # What an operator at r1's shell sees.
    shell = vtysh(lab, "show running-config", "show ip route")
    if shell is not None:
        assert "ip route 10.99.0.0/24 10.0.1.2\n" in shell, shell
        assert "S>* 10.99.0.0/24 " in shell, shell

    nc.edit_config(target="candidate", config=config(
        route("10.99.0.0/24", "10.0.1.2", attr=' nc:operation="delete"')))
    nc.commit()
    wait_until(lambda: "10.99.0.0/24" not in static_routes(lab),
               timeout=15, what="deleted route gone from r1's FIB")
    assert "10.99.0.0/24" not in running_text(lab)
    shell = vtysh(lab, "show running-config", "show ip route")
    assert shell is None or "10.99.0.0/24" not in shell, shell
    assert "10.99.0.0/24" not in nc.get_config(source="running").data_xml


def test_refused_commit_changes_nothing(lab, nc):
    """ribd refuses an onlink nexthop without an interface: the commit
    is an rpc-error naming ribd, the reason and the route, and neither
    the valid route sent with it nor anything else is applied."""
    nc.edit_config(target="candidate",
                   config=config(route("10.98.0.0/24", "10.0.1.2")))
    nc.commit()
    wait_until(lambda: "10.98.0.0/24" in static_routes(lab), timeout=15,
               what="a first route in the FIB")
    before = snapshot(lab, nc)
    nc.edit_config(target="candidate", config=config(
        route("10.97.0.0/24", "10.0.1.2") +
        route("10.96.0.0/24", "10.0.1.2", extra="<onlink/>") +
        route("10.98.0.0/24", "10.0.1.2", attr=' nc:operation="delete"')))
    with pytest.raises(RPCError) as e:
        nc.commit()
    text = "%s %s" % (e.value.path, e.value.message)
    assert "ribd refused" in text, text
    assert "onlink needs a gateway and an interface" in text, text
    assert "10.96.0.0/24" in text, text
    assert e.value.tag == "operation-failed", e.value.tag
    assert snapshot(lab, nc) == before
    assert "10.97.0.0/24" not in static_routes(lab)
    assert "10.98.0.0/24" in static_routes(lab)
    nc.discard_changes()

    # A value YANG refuses never gets to a daemon.
    with pytest.raises(RPCError) as e:
        nc.edit_config(target="candidate", config=config(
            '<interfaces xmlns="%s"><interface><name>eth1</name>'
            '<mtu>20</mtu></interface></interfaces>' % IF_NS))
    assert e.value.tag == "invalid-value"
    assert e.value.path.endswith("/mtu"), e.value.path
    assert "68..65535" in e.value.message
    # mgmtd's validation at commit (a nexthop with neither gateway nor
    # interface) refuses too.
    nc.edit_config(target="candidate",
                   config=config(route("10.95.0.0/24", "")))
    with pytest.raises(RPCError) as e:
        nc.commit()
    assert "10.95.0.0/24" in "%s %s" % (e.value.path, e.value.message)
    assert snapshot(lab, nc) == before
    nc.discard_changes()


def subtree(body):
    return ("subtree", body)


def test_subtree_filters(lab, nc):
    """RFC 6241 §6 on the lab's running configuration: selection,
    containment, content match, namespaces, on get-config and get."""
    nc.edit_config(target="candidate",
                   config=config(route("10.94.0.0/24", "10.0.1.2")))
    nc.commit()
    # Selection node: one module's tree, nothing of the others.
    out = nc.get_config(source="running", filter=subtree(
        '<interfaces xmlns="%s"/>' % IF_NS)).data_xml
    assert "<name>eth1</name>" in out and "10.0.1.1" in out
    assert "10.94.0.0/24" not in out and "hostname" not in out
    # Containment + selection: the description, with the list key.
    out = nc.get_config(source="running", filter=subtree(
        '<interfaces xmlns="%s"><interface><description/></interface>'
        '</interfaces>' % IF_NS)).data_xml
    assert "<description>to h1</description>" in out
    assert "<name>eth1</name>" in out and "10.0.1.1" not in out
    # Content match: one route, whole; no match, empty data.
    out = nc.get(filter=subtree(
        '<routing xmlns="%s"><static-routes><ipv4><route>'
        '<prefix>10.94.0.0/24</prefix></route></ipv4></static-routes>'
        '</routing>' % RT_NS)).data_xml
    assert "<gateway>10.0.1.2</gateway>" in out
    assert "10.98.0.0/24" not in out and "eth1" not in out
    out = nc.get_config(source="running", filter=subtree(
        '<interfaces xmlns="%s"><interface><name>eth9</name>'
        '</interface></interfaces>' % IF_NS)).data_xml
    assert "interface" not in out
    # A namespace that is not ours selects nothing; none selects all.
    out = nc.get_config(source="running", filter=subtree(
        '<interfaces xmlns="urn:example:none"/>')).data_xml
    assert "eth1" not in out
    out = nc.get_config(source="running", filter=subtree(
        '<system xmlns=""><hostname/></system>')).data_xml
    assert "<hostname>r1</hostname>" in out
    # The candidate is filtered the same way.
    nc.edit_config(target="candidate",
                   config=config(route("10.93.0.0/24", "10.0.1.2")))
    out = nc.get_config(source="candidate", filter=subtree(
        '<routing xmlns="%s"><static-routes><ipv4><route>'
        '<prefix>10.93.0.0/24</prefix></route></ipv4></static-routes>'
        '</routing>' % RT_NS)).data_xml
    assert "10.93.0.0/24" in out and "10.94.0.0/24" not in out
    nc.discard_changes()
    # An xpath filter is refused by name (no :xpath capability).
    with pytest.raises(RPCError) as e:
        nc.get_config(source="running", filter=("xpath", "/system"))
    assert e.value.tag == "operation-not-supported"
