"""labctl itself: bring-up and teardown, topology errors, FRR and BIRD nodes.

Run as root:  python3 -m pytest -v tests/topo/labctl
"""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from lablib import daemons as dmn
from lablib import state as stm
from lablib import topology as tpm
from lablib.harness import (WaitTimeout, require_bird, require_frr,
                            require_root, wait_until)
from lablib.system import netns_list, netns_exists

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies")
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
LABCTL = os.path.join(REPO, "tools", "labctl")


def labctl(*args, timeout=120, lab=None):
    """Run tools/labctl; LAB names the lab explicitly, so a test never
    depends on which other labs happen to be up."""
    pre = ["--lab", lab] if lab else []
    return subprocess.run([sys.executable, LABCTL] + pre + list(args),
                          capture_output=True, text=True, timeout=timeout)


def root_links():
    """Interface names in the root namespace."""
    out = subprocess.run(["ip", "-j", "link", "show"], capture_output=True,
                         text=True, check=True).stdout
    return {l["ifname"] for l in json.loads(out)}


def assert_gone(lab, nodes):
    """Nothing of LAB is left: namespaces, temporary veths, run directory."""
    left = [n for n in netns_list() if n.startswith(lab + "-")]
    assert not left, "namespaces left behind: %s" % left
    for n in nodes:
        assert not netns_exists("%s-%s" % (lab, n))
    temp = [l for l in root_links() if l.startswith("wl") and len(l) == 11]
    assert not temp, "temporary veths left in the root namespace: %s" % temp
    assert not os.path.exists(stm.lab_dir(lab))


# --- (a) plain Linux hosts ----------------------------------------------------

def test_hosts_cli_up_ping_down():
    """h1 - r - h2 through the CLI: up, ping across r, down leaves nothing."""
    require_root()
    topo = os.path.join(TOPO, "hosts3")
    before = root_links()
    cp = labctl("up", topo)
    try:
        assert cp.returncode == 0, cp.stderr
        assert "lab lc-hosts3 is up" in cp.stdout
        assert {"lc-hosts3-h1", "lc-hosts3-r", "lc-hosts3-h2"} <= set(
            netns_list())
        cp = labctl("exec", "h1", "ping", "-c", "1", "-W", "2", "10.10.2.2", lab="lc-hosts3")
        assert cp.returncode == 0, cp.stdout + cp.stderr
        # interfaces carry the names of the file, inside their namespaces
        cp = labctl("exec", "r", "ip", "-j", "link", "show", lab="lc-hosts3")
        names = {l["ifname"] for l in json.loads(cp.stdout)}
        assert {"lo", "eth1", "eth2"} <= names
        cp = labctl("status", "--json", lab="lc-hosts3")
        st = json.loads(cp.stdout)
        assert [n["node"] for n in st[0]["nodes"]] == ["h1", "r", "h2"]
        cp = labctl("graph", lab="lc-hosts3")
        assert "eth2 ---- h2:eth1" in cp.stdout
    finally:
        cp = labctl("down", lab="lc-hosts3")
    assert cp.returncode == 0, cp.stderr
    assert "lab lc-hosts3 is down" in cp.stdout
    assert_gone("lc-hosts3", ["h1", "r", "h2"])
    assert root_links() == before


def test_hosts_harness(make_lab):
    """The same lab through the harness: exec, json, kernel_routes."""
    lab = make_lab(os.path.join(TOPO, "hosts3"))
    assert lab.ping("h1", "10.10.2.2")
    routes = lab.kernel_routes("h1")
    default = [r for r in routes if r["dst"] == "default"]
    assert default and default[0]["gateway"] == "10.10.1.1"
    assert lab.has_route("r", "10.10.2.0/24")
    assert lab.exec("r", "cat /proc/sys/net/ipv4/ip_forward").strip() == "1"
    assert lab.exec("h1", "cat /proc/sys/net/ipv4/ip_forward").strip() == "0"
    h2 = lab.json("h2", "ip -j addr show eth1")[0]
    assert h2["addr_info"][0]["local"] == "10.10.2.2"
    assert h2["mtu"] == 9000        # the link's mtu: applies to both ends
    assert lab.json("r", "ip -j link show eth2")[0]["mtu"] == 9000
    assert lab.json("r", "ip -j link show eth1")[0]["mtu"] == 1500


def test_down_after_crash(tmp_path):
    """labctl killed in the middle of 'up': 'labctl down' still cleans up."""
    require_root()
    d = tmp_path / "crash"
    d.mkdir()
    (d / "crash.clab.yml").write_text(textwrap.dedent("""\
        name: lc-crash
        topology:
          nodes:
            a: {exec: ["ip addr add 10.20.0.1/24 dev eth1"]}
            b: {exec: ["sleep 60"]}
          links:
            - endpoints: [a:eth1, b:eth1]
        """))
    p = subprocess.Popen([sys.executable, LABCTL, "up", str(d)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # b's exec runs last: once it sleeps, namespaces and links exist
        wait_until(lambda: netns_exists("lc-crash-b") and
                   subprocess.run(["ip", "netns", "pids", "lc-crash-b"],
                                  capture_output=True, text=True).stdout,
                   timeout=20, what="lc-crash half built")
        p.send_signal(signal.SIGKILL)
        p.wait(10)
        assert netns_exists("lc-crash-a")
    finally:
        if p.poll() is None:
            p.kill()
    cp = labctl("down", "lc-crash")
    assert cp.returncode == 0, cp.stderr
    assert_gone("lc-crash", ["a", "b"])


# --- (b) bad topology files ---------------------------------------------------

BAD = [
    ("unknown-node", """\
        name: bad
        topology:
          nodes:
            r1: {kind: linux}
            r2: {kind: linux}
          links:
            - endpoints: ["r1:eth1", "r2:eth1"]
            - endpoints:
                - "r1:eth2"
                - "r9:eth1"
        """, ["{f}:10: links[1].endpoints: unknown node 'r9'"]),
    ("missing-endpoints", """\
        name: bad
        topology:
          nodes:
            r1: {}
          links:
            - mtu: 1500
        """, ["{f}:6: links[0]: endpoints: missing"]),
    ("interface-reuse", """\
        name: bad
        topology:
          nodes:
            r1: {}
            r2: {}
            r3: {}
          links:
            - endpoints: ["r1:eth1", "r2:eth1"]
            - endpoints: ["r3:eth1", "r1:eth1"]
        """, ["{f}:9: links[1].endpoints: r1:eth1 is already used by "
              "links[0]"]),
    ("bad-ifname", """\
        name: bad
        topology:
          nodes:
            r1: {}
            r2: {}
          links:
            - endpoints: ["r1:ethernet-1-long-name", "r2:eth1"]
        """, ["{f}:7: links[0].endpoints: 'ethernet-1-long-name' is not a "
              "usable interface name for r1"]),
    ("kind-and-missing-file", """\
        name: bad
        topology:
          nodes:
            r1:
              kind: ceos
            r2:
              image: frrouting/frr:latest
              binds:
                - r2/frr.conf:/etc/frr/frr.conf
            r3:
              image: waypoint/waypoint:latest
              startup-config: r3/nothere.conf
        """, ["{f}:5: nodes.r1.kind: unsupported kind 'ceos'",
              "{f}:9: nodes.r2.binds[0]: file r2/frr.conf not found",
              "{f}:12: nodes.r3.startup-config: file r3/nothere.conf "
              "not found"]),
    ("duplicate-node", """\
        name: bad
        topology:
          nodes:
            r1: {}
            r2: {}
            r1: {image: alpine}
          links: []
        """, ["{f}:6: nodes.r1: duplicate key (first on line 4)"]),
    ("yaml-syntax", """\
        name: bad
        topology:
          nodes:
            r1: {kind: linux
          links: []
        """, ["{f}:5: yaml: "]),
    ("no-name-bad-exec", """\
        topology:
          nodes:
            h1:
              exec: ip addr add 10.0.0.1/24 dev eth1
            b1:
              image: bird
        """, ["{f}:1: name: missing",
              "{f}:4: nodes.h1.exec: must be a list of commands",
              "{f}:5: nodes.b1: a BIRD node needs a bind to "
              "/etc/bird/bird.conf"]),
]


@pytest.mark.parametrize("case,text,expect", BAD, ids=[b[0] for b in BAD])
def test_bad_topology(tmp_path, case, text, expect):
    """Each error names the file, the line and the field; nothing is made."""
    f = tmp_path / (case + ".clab.yml")
    f.write_text(textwrap.dedent(text))
    # the library
    with pytest.raises(tpm.TopologyError) as ei:
        tpm.load(str(f))
    lines = str(ei.value).splitlines()
    assert len(lines) == len(expect), lines
    for got, want in zip(lines, expect):
        assert got.startswith(want.format(f=f)), (got, want)
    # the command: exit 2, the same lines, nothing left behind
    before = set(netns_list())
    cp = labctl("up", str(f))
    assert cp.returncode == 2
    assert cp.stderr.splitlines() == lines
    assert set(netns_list()) == before
    assert not os.path.exists(stm.lab_dir("bad"))


def test_failing_exec_tears_down(tmp_path):
    """A failing exec command names its line; the half-built lab goes."""
    require_root()
    f = tmp_path / "x.clab.yml"
    f.write_text(textwrap.dedent("""\
        name: lc-badexec
        topology:
          nodes:
            a:
              exec:
                - ip link set eth1 mtu 1400
                - ip addr add 300.1.1.1/24 dev eth1
            b: {}
          links:
            - endpoints: [a:eth1, b:eth1]
        """))
    cp = labctl("up", str(f))
    assert cp.returncode == 1
    assert ":7: nodes.a.exec[1]: 'ip addr add 300.1.1.1/24 dev eth1' " \
           "failed (exit 1)" in cp.stderr, cp.stderr
    assert_gone("lc-badexec", ["a", "b"])


def test_frr_config_rejected_tears_down(tmp_path):
    """FRR refusing a config line fails 'up' with vtysh's line number."""
    require_root()
    require_frr()
    (tmp_path / "r1").mkdir()
    (tmp_path / "r1" / "frr.conf").write_text(
        "interface eth1\n ip address 10.0.0.1/24\n ip bogus-command 7\n!\n")
    f = tmp_path / "x.clab.yml"
    f.write_text(textwrap.dedent("""\
        name: lc-badfrr
        topology:
          nodes:
            r1:
              image: frrouting/frr:v8.4.1
              binds: [r1/frr.conf:/etc/frr/frr.conf]
            h1: {}
          links:
            - endpoints: [r1:eth1, h1:eth1]
        """))
    cp = labctl("up", str(f))
    assert cp.returncode == 1
    assert "node r1: FRR rejected" in cp.stderr
    assert "line 3" in cp.stderr, cp.stderr
    assert_gone("lc-badfrr", ["r1", "h1"])
    assert not [p for p in _frr_pids() if "lc-badfrr" in p]


def _frr_pids():
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True,
                         text=True).stdout
    return [l for l in out.splitlines() if "/usr/lib/frr/" in l]


def test_daemon_inference(tmp_path):
    """FRR daemons from the config's stanzas, or from a daemons file."""
    conf = tmp_path / "frr.conf"
    conf.write_text("router bgp 65001\n neighbor 10.0.0.2 bfd\n!\n"
                    "router ospf6\n!\ninterface eth1\n ip pim\n vrrp 5\n")
    assert dmn.frr_daemons(str(conf)) == [
        "zebra", "staticd", "bfdd", "ospf6d", "bgpd", "pimd", "vrrpd"]
    daemons = tmp_path / "daemons"
    daemons.write_text("zebra=yes\nbgpd=no\nisisd=yes\nfrr_profile=\"datacenter\"\n")
    assert dmn.frr_daemons(str(conf), str(daemons)) == [
        "zebra", "staticd", "isisd"]
    assert dmn.frr_profile(str(conf), str(daemons)) == "datacenter"
    assert [d for d, _ in dmn.waypoint_daemons(str(conf))] == [
        "mgmtd", "ribd", "bfdd", "ospf6d", "bgpd", "pimd", "vrrpd"]
    # bfdd reads the node config itself until mgmtd delivers it
    assert dict(dmn.waypoint_daemons(str(conf)))["bfdd"] is True


def test_fallback_static_routes(tmp_path):
    """The stand-in for ribd also knows the config's static routes."""
    conf = tmp_path / "waypoint.conf"
    conf.write_text("ip route 10.255.0.2/32 10.0.13.3\n"
                    "ipv6 route fd00::/64 fd00:12::2\n"
                    "ip route 10.9.0.0/16 eth1\n"
                    "ip route 10.8.0.0/16 fd00::1\n")
    assert dmn.static_routes(str(conf)) == [
        (4, "10.255.0.2/32", "10.0.13.3"), (6, "fd00::/64", "fd00:12::2")]


# --- (c) FRR pair -------------------------------------------------------------

def _ospf_full(lab, node, nbr_id):
    nbrs = lab.frr_json(node, "show ip ospf neighbor")["neighbors"]
    return any(n.get("converged") == "Full" or
               n.get("nbrState", "").startswith("Full")
               for n in nbrs.get(nbr_id, []))


def test_frr_pair_ospf(make_lab):
    """Two FRR routers: OSPF Full and each loopback in the other's FIB."""
    require_frr("ospfd")
    lab = make_lab(os.path.join(TOPO, "frr-ospf"))
    wait_until(lambda: lab.has_route("r1", "10.255.0.2/32", via="10.0.12.2",
                                     protocol="ospf"),
               timeout=30, what="r1 has r2's loopback from OSPF")
    wait_until(lambda: lab.has_route("r2", "10.255.0.1/32", via="10.0.12.1",
                                     protocol="ospf"),
               timeout=30, what="r2 has r1's loopback from OSPF")
    wait_until(lambda: _ospf_full(lab, "r1", "10.255.0.2"), timeout=10,
               what="r1 sees r2 Full")
    wait_until(lambda: _ospf_full(lab, "r2", "10.255.0.1"), timeout=10,
               what="r2 sees r1 Full")
    assert lab.run("r1", "ping -c1 -W2 -I 10.255.0.1 10.255.0.2"
                   ).returncode == 0
    # r2 binds a daemons file: exactly those daemons run
    names = [d["name"] for d in stm.load("lc-frr")["nodes"]["r2"]["daemons"]]
    assert names == ["zebra", "staticd", "ospfd"]
    # the CLI reaches the same daemons; hostname is the node name
    cp = labctl("vtysh", "r1", "-c", "show ip ospf neighbor", lab="lc-frr")
    assert cp.returncode == 0 and "Full" in cp.stdout, cp.stdout + cp.stderr
    cp = labctl("vtysh", "r2", "-c", "show version", lab="lc-frr")
    assert "(r2)" in cp.stdout
    cp = labctl("logs", "r1", "ospfd", lab="lc-frr")
    assert cp.returncode == 0 and "ospfd" in cp.stdout


# --- (d) BIRD with FRR --------------------------------------------------------

def test_bird_frr_ospf(make_lab):
    """BIRD 2 and FRR form OSPF; each installs the other's loopback."""
    require_frr("ospfd")
    require_bird()
    lab = make_lab(os.path.join(TOPO, "bird-ospf"))
    wait_until(lambda: lab.has_route("r2", "10.255.0.1/32", via="10.0.12.1",
                                     protocol="bird"),
               timeout=40, what="BIRD r2 has r1's loopback in its FIB")
    wait_until(lambda: lab.has_route("r1", "10.255.0.2/32", via="10.0.12.2",
                                     protocol="ospf"),
               timeout=40, what="FRR r1 has r2's loopback in its FIB")
    assert "Full/PtP" in lab.bird_cmd("r2", "show ospf neighbors")
    wait_until(lambda: _ospf_full(lab, "r1", "10.255.0.2"), timeout=10,
               what="r1 sees BIRD Full")
    cp = labctl("vtysh", "r2", "-c", "show status", lab="lc-bird")
    assert "Daemon is up and running" in cp.stdout, cp.stdout + cp.stderr


# --- the demo topology without Waypoint daemons -------------------------------

def test_demo_without_daemons(make_lab, tmp_path, monkeypatch):
    """topologies/demo comes up without daemons: addresses from the configs,
    a clear warning, and vtysh says it is not built."""
    monkeypatch.setenv("WAYPOINT_BINDIR", str(tmp_path))     # nothing there
    lab = make_lab(os.path.join(REPO, "topologies", "demo"))
    assert any("waypoint daemons not built yet: node r1 runs without "
               "routing daemons" in w for w in lab.warnings)
    assert lab.ping("h1", "10.1.1.1")
    assert lab.ping("r1", "10.0.12.2")
    assert lab.ping("r4", "10.0.14.1")
    addrs = lab.json("r3", "ip -j -4 addr show lo")[0]["addr_info"]
    assert "10.255.0.3" in [a["local"] for a in addrs]
    # vtysh (a separate program) may be built even when no daemon is.
    cp = labctl("vtysh", "r1", "-c", "show version", lab="demo")
    assert (cp.returncode == 1 and "not built yet" in cp.stderr) or \
        (cp.returncode == 0 and "vtysh" in cp.stdout), cp


def test_wait_until_reports_last_value():
    t0 = time.monotonic()
    with pytest.raises(WaitTimeout) as ei:
        wait_until(lambda: [], timeout=0.3, interval=0.05, what="never")
    assert "never: not true after" in str(ei.value)
    assert time.monotonic() - t0 < 2
    assert wait_until(lambda: 42, timeout=1) == 42


def test_bridge_lan(make_lab):
    """A kind: bridge node joins three hosts into one segment."""
    lab = make_lab(os.path.join(TOPO, "lan"))
    ports = lab.json("sw", "ip -j link show master br0")
    assert sorted(p["ifname"] for p in ports) == ["p1", "p2", "p3"]
    wait_until(lambda: lab.ping("a", "10.30.0.3") and lab.ping("b", "10.30.0.1"),
               timeout=10, what="hosts reach each other across br0")


FAKE_DAEMON = '''#!/usr/bin/python3
# Stand-in for a Waypoint daemon: --pathspace PS [-f CONF] -d -l LOG.
# Logs its arguments, serves /run/waypoint/PS/<name>.vty, and with -d
# returns once that socket exists.
import os, socket, sys, time
name = os.path.basename(sys.argv[0])
args = sys.argv[1:]
opt = {args[i]: args[i + 1] for i in range(len(args) - 1)
       if args[i] in ("--pathspace", "-f", "-l")}
d = "/run/waypoint/" + opt["--pathspace"]
os.makedirs(d, exist_ok=True)
with open(opt["-l"], "a") as f:
    f.write("%s %s\\n" % (name, " ".join(args)))
if os.fork():
    while not os.path.exists("%s/%s.vty" % (d, name)):
        time.sleep(0.01)
    sys.exit(0)
os.setsid()
s = socket.socket(socket.AF_UNIX)
s.bind("%s/%s.vty" % (d, name))
s.listen()
time.sleep(300)
'''


def test_waypoint_daemons_started(make_lab, tmp_path, monkeypatch):
    """With Waypoint daemons present, the daemon table decides what runs:
    mgmtd (with the config) and ribd always, ospfd for 'router ospf',
    bfdd for 'bfd'."""
    for name in ("mgmtd", "ribd", "bfdd", "ospfd", "bgpd", "vtysh"):
        p = tmp_path / name
        p.write_text(FAKE_DAEMON if name != "vtysh" else
                     "#!/bin/sh\necho vtysh \"$@\"\n")
        p.chmod(0o755)
    monkeypatch.setenv("WAYPOINT_BINDIR", str(tmp_path))
    lab = make_lab(os.path.join(REPO, "topologies", "demo"))
    assert not lab.warnings
    st = stm.load("demo")
    r1 = st["nodes"]["r1"]
    assert [d["name"] for d in r1["daemons"]] == ["mgmtd", "ribd", "bfdd",
                                                 "ospfd"]
    assert all(d["pid"] for d in r1["daemons"])
    with open(r1["daemons"][0]["log"]) as f:
        line = f.read()
    assert "--pathspace demo-r1" in line
    assert "-f %s" % os.path.join(REPO, "topologies", "demo", "r1",
                                  "waypoint.conf") in line
    # ribd reads the node's file itself: the fake vtysh cannot tell
    # whether mgmtd loaded it (see daemons.py)
    with open(r1["daemons"][1]["log"]) as f:
        assert " -f " in f.read()
    assert os.path.exists("/run/waypoint/demo-r1/ospfd.vty")
    # the fallback did not run: addresses are the daemons' business
    addrs = lab.json("r1", "ip -j addr show eth1")[0]["addr_info"]
    assert [a for a in addrs if a["family"] == "inet"] == []
    cp = labctl("vtysh", "r1", "-c", "show ip route", lab="demo")
    assert cp.stdout.strip() == "vtysh --pathspace demo-r1 -c show ip route"
    lab.down()
    assert not os.path.exists("/run/waypoint/demo-r1")
    try:
        os.rmdir("/run/waypoint")       # made by the stand-in daemons
    except OSError:
        pass
