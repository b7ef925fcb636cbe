"""One configuration end to end: CLI text -> mgmtd -> ribd -> kernel.

Topology h1 - r1 - r2 - h2 (topologies/cfgflow).  Each router's
waypoint.conf is given to mgmtd alone; ribd takes its part from mgmtd.
Then commits through the session API (tools/wpcfg): one that adds a
static route reaches the kernel; one that ribd refuses, or that mgmtd's
own validation refuses, changes nothing anywhere.  Last, the running
configuration rendered as text loads into a fresh mgmtd and renders to
the same bytes."""

import os
import signal
import subprocess

import pytest

from lablib import roles
from lablib.harness import build_tool, module_lab, require_root, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "cfgflow")
STATIC4 = "/waypoint-routing:routing/static-routes/ipv4"


@pytest.fixture(scope="module")
def lab():
    require_root()
    find = roles.waypoint_bindir()
    if find is None or not find("ribd") or not find("mgmtd"):
        pytest.skip("mgmtd and ribd are not built")
    if build_tool("wpcfg") is None or build_tool("wpvty") is None:
        pytest.skip("tools/wpcfg and tools/wpvty are not built")
    # ribd takes its configuration from mgmtd here (labs default to -f).
    os.environ["WAYPOINT_RIB_FROM_MGMTD"] = "1"
    try:
        yield from module_lab(TOPO)
    finally:
        os.environ.pop("WAYPOINT_RIB_FROM_MGMTD", None)


def addrs(lab, node, ifname):
    info = lab.json(node, "ip -j addr show dev " + ifname)[0]
    return {"%s/%d" % (a["local"], a["prefixlen"]) for a in info["addr_info"]}


def running_text(lab, node):
    return lab.wp_cmd(node, "show running-config", daemon="mgmtd")


def static_routes(lab, node):
    """NODE's IPv4 and IPv6 kernel routes that ribd installed (proto
    static), as {prefix: route}."""
    out = {}
    for fam in (4, 6):
        for r in lab.kernel_routes(node, fam):
            if r.get("protocol") == "static":
                out[r["dst"]] = r
    return out


def test_startup_config_reaches_the_kernel(lab):
    """mgmtd loaded waypoint.conf, ribd applied its part: addresses on the
    interfaces, static routes in each FIB, and the hosts reach each other
    across both routers."""
    wait_until(lambda: "10.0.12.1/24" in addrs(lab, "r1", "eth1"),
               timeout=15, what="r1 eth1 address from mgmtd")
    assert "2001:db8:12::1/64" in addrs(lab, "r1", "eth1")
    assert "10.11.0.1/24" in addrs(lab, "r1", "eth2")
    assert "10.255.0.1/32" in addrs(lab, "r1", "lo")
    assert "10.22.0.1/24" in addrs(lab, "r2", "eth2")
    wait_until(lambda: lab.has_route("r1", "10.22.0.0/24", via="10.0.12.2",
                                     protocol="static"),
               timeout=15, what="r1 static route in the FIB")
    assert lab.has_route("r1", "10.255.0.2/32", via="10.0.12.2")
    assert lab.route("r1", "192.0.2.0/24")["type"] == "blackhole"
    assert lab.has_route("r1", "2001:db8:22::/64", via="2001:db8:12::2")
    wait_until(lambda: lab.has_route("r2", "10.11.0.0/24", via="10.0.12.1",
                                     protocol="static"),
               timeout=15, what="r2 static route in the FIB")
    wait_until(lambda: lab.ping("h1", "10.22.0.10"), timeout=20,
               what="h1 reaches h2 over IPv4")
    wait_until(lambda: lab.ping("h2", "2001:db8:11::10"), timeout=20,
               what="h2 reaches h1 over IPv6")
    # ribd holds the running configuration, and says where it came from.
    ribd = [d for d in lab.wp_json("r1", "show mgmt daemons",
                                   daemon="mgmtd")["daemons"]
            if d["name"] == "ribd"]
    assert ribd and ribd[0]["synced"], ribd
    text = running_text(lab, "r1")
    assert "interface eth1\n description to r2\n" in text
    assert "ip route 10.22.0.0/24 10.0.12.2\n" in text


def test_commit_adds_static_route(lab, tmp_path):
    """A commit through the session API reaches the kernel: one route
    loaded as configuration text, one as a YANG edit, in one commit."""
    extra = tmp_path / "extra.conf"
    extra.write_text("ip route 10.99.0.0/16 10.0.12.2 tag 99\n")
    cp = lab.wp_cfg("r1", "load %s" % extra,
                    "edit create %s/route[prefix='10.98.0.0/16']/"
                    "path[distance='1']/nexthop[gateway='10.0.12.2']"
                    "[interface='']" % STATIC4,
                    "commit two more routes")
    assert cp.returncode == 0, cp.stderr
    assert "applied by ribd" in cp.stdout, cp.stdout
    wait_until(lambda: lab.has_route("r1", "10.99.0.0/16", via="10.0.12.2",
                                     protocol="static"),
               timeout=10, what="committed route in r1's FIB")
    assert lab.has_route("r1", "10.98.0.0/16", via="10.0.12.2",
                         protocol="static")
    assert "ip route 10.99.0.0/16 10.0.12.2 tag 99\n" in running_text(lab,
                                                                    "r1")
    # Removing it is a commit too.
    cp = lab.wp_cfg("r1", "edit delete %s/route[prefix='10.98.0.0/16']"
                    % STATIC4, "commit")
    assert cp.returncode == 0, cp.stderr
    wait_until(lambda: not lab.has_route("r1", "10.98.0.0/16"),
               timeout=10, what="deleted route gone from r1's FIB")


def _snapshot(lab, node):
    return (static_routes(lab, node), addrs(lab, node, "eth1"),
            running_text(lab, node),
            lab.wp_cmd(node, "show configuration history json",
                       daemon="mgmtd"))


def test_refused_commit_changes_nothing(lab, tmp_path):
    """ribd refuses what YANG allows but it cannot do (onlink without an
    interface); mgmtd refuses what YANG does not allow.  Either way nothing
    changes: not the valid part of the same commit, not the kernel, not
    the running configuration, not the history."""
    before = _snapshot(lab, "r1")
    bad = tmp_path / "bad.conf"
    bad.write_text("ip route 10.97.0.0/16 10.0.12.2\n"
                   "interface eth1\n"
                   " ip address 10.0.13.1/24\n"
                   "!\n"
                   "ip route 10.96.0.0/16 10.0.12.2 onlink\n")
    cp = lab.wp_cfg("r1", "load %s" % bad, "commit")
    assert cp.returncode == 1, (cp.stdout, cp.stderr)
    assert ("ribd refused the configuration: onlink needs a gateway and "
            "an interface" in cp.stderr), cp.stderr
    assert "route[prefix='10.96.0.0/16']" in cp.stderr, cp.stderr
    # mgmtd's own validation: a value out of range never reaches ribd.
    cp = lab.wp_cfg("r1", "edit merge /waypoint-interface:interfaces/"
                    "interface[name='eth1']/mtu 20", "commit")
    assert cp.returncode == 1
    assert "range: value 20 is outside 68..65535" in cp.stderr, cp.stderr
    # A text with a bad line is refused whole, naming the file and line.
    worse = tmp_path / "worse.conf"
    worse.write_text("ip route 10.95.0.0/16 10.0.12.2\n"
                     "ip rte 10.94.0.0/16 10.0.12.2\n")
    cp = lab.wp_cfg("r1", "load %s" % worse, "commit")
    assert cp.returncode == 1
    assert "%s:2: Invalid input at 'rte'" % worse in cp.stderr, cp.stderr
    # A negative, without waiting it out: ribd answered these commits, and
    # it applies a configuration to its own RIB and interface table at
    # once (the kernel follows from those), so its view now holds
    # whatever they did.
    rib = lab.wp_json("r1", "show ip route")
    for p in ("10.94.0.0/16", "10.95.0.0/16", "10.96.0.0/16",
              "10.97.0.0/16"):
        assert p not in rib, (p, rib.get(p))
    assert "10.0.13.1/24" not in lab.wp_cmd("r1", "show interface eth1 json")
    assert _snapshot(lab, "r1") == before
    assert not lab.has_route("r1", "10.97.0.0/16")
    assert "10.0.13.1/24" not in addrs(lab, "r1", "eth1")


def test_running_config_round_trips(lab, tmp_path):
    """show running-config, loaded as the startup file of a fresh mgmtd,
    renders to the same bytes."""
    text = running_text(lab, "r1")
    conf = tmp_path / "waypoint.conf"
    conf.write_text(text)
    mgmtd = roles.waypoint_bindir()("mgmtd")
    run = tmp_path / "run"
    subprocess.run([mgmtd, "--rundir", str(run), "-f", str(conf),
                    "--state-dir", str(tmp_path / "state"), "-d",
                    "-l", str(tmp_path / "mgmtd.log")],
                   check=True, timeout=30, capture_output=True)
    pid = int(open(run / "mgmtd.pid").read().split()[0])
    try:
        cp = subprocess.run([build_tool("wpvty"), str(run / "mgmtd.vty"),
                             "show running-config"], capture_output=True,
                            text=True, timeout=30)
        assert cp.returncode == 0, cp.stderr
        assert cp.stdout == text
        assert "REFUSED" not in (tmp_path / "mgmtd.log").read_text()
    finally:
        os.kill(pid, signal.SIGTERM)
        wait_until(lambda: not os.path.exists("/proc/%d" % pid) or
                   open("/proc/%d/stat" % pid).read().split()[2] == "Z",
                   timeout=10, what="fresh mgmtd exits")
