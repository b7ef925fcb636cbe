"""Static routes monitored by BFD (``ip route ... bfd``) in namespaces.

Two labs (topologies/ww, topologies/wf), each brought up once:

* ww (``rbfd-ww``): Waypoint on both sides, ribd configured by mgmtd.
  r1 routes 10.99.0.0/16 and 2001:db8:99::/48 through r2 with ``bfd``,
  r2 routes 10.98.0.0/16 and 2001:db8:98::/48 back; bfdd makes every
  session from ribd's registrations on bfdd.sock.  r1 also has
  10.97.0.0/16 with a multihop session r2 never answers.
* wf (``rbfd-wf``): r1 (ribd from its file, bfdd) against FRR 8.4's
  bfdd, which has the peer configured.

What is asserted, on the kernel FIB of the namespaces and ribd's own
view (``show ip route PREFIX json``, ``show rib bfd json``):

* a route is in the kernel once its session is Up; the one whose session
  never comes up never is, and ribd shows its nexthop inactive, bfd down;
* BFD packets dropped with nftables in the peer's namespace: the route
  leaves the kernel (polled, deadline), ribd shows the session down and
  the nexthop inactive; the drop rule removed: the route comes back;
* bfdd restarted on r1: ribd registers again and the routes come back;
* the ``bfd`` lines render back from mgmtd's running configuration
  exactly as written; a commit that drops ``bfd`` from a route installs
  it and releases its session, one that adds it back withdraws it.
"""

import os
import shutil
import signal
import subprocess

import pytest

from lablib import roles
from lablib.harness import Lab, require_frr, require_root, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
# Sessions run 100 ms x 3: detection takes 0.3 s, coming up 1-2 s
# (RFC 5880 §6.8.3: one packet a second while not Up).  The deadlines
# leave room for a loaded machine; nothing waits longer than it must.
DEADLINE = 15


def _require():
    require_root()
    find = roles.waypoint_bindir()
    for d in ("ribd", "bfdd", "mgmtd"):
        if find is None or not find(d):
            pytest.skip("%s is not built" % d)
    if not roles.waypoint_tool("wpvty"):
        pytest.skip("tools/wpvty is not built")
    if shutil.which("nft") is None:
        pytest.skip("nft is not installed (apt-get install nftables)")


def _lab(tmp_path_factory, name):
    d = tmp_path_factory.mktemp("rbfd") / name
    shutil.copytree(os.path.join(HERE, "topologies", name), d)
    lab = Lab(str(d), timeout=60)
    lab.up()
    return lab


def _down(lab, request, before):
    if request.session.testsfailed > before:
        print(lab.diagnostics())
    lab.down()
    lab.check_shutdown()


@pytest.fixture(scope="module")
def ww(tmp_path_factory, request):
    _require()
    # ribd takes its configuration from mgmtd here (labs default to -f).
    os.environ["WAYPOINT_RIB_FROM_MGMTD"] = "1"
    try:
        lab = _lab(tmp_path_factory, "ww")
    finally:
        os.environ.pop("WAYPOINT_RIB_FROM_MGMTD", None)
    before = request.session.testsfailed
    yield lab
    _down(lab, request, before)


@pytest.fixture(scope="module")
def wf(tmp_path_factory, request):
    _require()
    require_frr("bfdd")
    lab = _lab(tmp_path_factory, "wf")
    before = request.session.testsfailed
    yield lab
    _down(lab, request, before)


# --- helpers ------------------------------------------------------------------

def in_kernel(lab, node, prefix):
    return lab.route(node, prefix) is not None


def rib_nexthop(lab, node, prefix):
    """ribd's first nexthop of the static route for PREFIX (JSON)."""
    fam = "ipv6" if ":" in prefix else "ip"
    js = lab.wp_json(node, "show %s route %s" % (fam, prefix))
    for r in js.get(prefix, []):
        if r["protocol"] == "static":
            return r["nexthops"][0]
    return None


def bfd_state(lab, node, prefix):
    nh = rib_nexthop(lab, node, prefix)
    return nh and nh.get("bfd", {}).get("state")


def drop_bfd(lab, node):
    """Drop every single-hop BFD control packet NODE receives."""
    lab.exec(node, "nft add table inet rbfd")
    lab.exec(node, "nft add chain inet rbfd input "
             "{ type filter hook input priority 0 ; }")
    lab.exec(node, "nft add rule inet rbfd input udp dport 3784 drop")


def undrop_bfd(lab, node):
    lab.exec(node, "nft delete table inet rbfd")


def wait_up(lab, node, prefixes, what):
    """Every session of PREFIXES Up in ribd's view, and the routes in the
    kernel.  (Before bfdd's first answer a route is in the kernel too,
    with the state unknown: presence alone proves nothing.)"""
    wait_until(lambda: all(bfd_state(lab, node, p) == "up" and
                           in_kernel(lab, node, p) for p in prefixes),
               timeout=DEADLINE, what=what)


def wait_routes(lab, node, prefixes, present, what):
    wait_until(lambda: all(in_kernel(lab, node, p) == present
                           for p in prefixes),
               timeout=DEADLINE, what=what)


# --- Waypoint on both sides ---------------------------------------------------

R1_UP = ("10.99.0.0/16", "2001:db8:99::/48")
R2_UP = ("10.98.0.0/16", "2001:db8:98::/48")


def test_routes_installed_when_up(ww):
    """Each route reaches the kernel, its session Up in ribd's view."""
    wait_up(ww, "r1", R1_UP, "r1's BFD routes up, in the kernel")
    wait_up(ww, "r2", R2_UP, "r2's BFD routes up, in the kernel")
    for node, prefixes in (("r1", R1_UP), ("r2", R2_UP)):
        for p in prefixes:
            nh = rib_nexthop(ww, node, p)
            assert nh["active"] and nh["bfd"]["state"] == "up", (p, nh)
            assert nh["bfd"]["usable"] and nh["bfd"]["profile"] == "fast"
    assert ww.has_route("r1", "10.99.0.0/16", via="10.0.12.2",
                        protocol="static")
    # bfdd made the sessions for ribd (none is configured there).
    clients = ww.wp_json("r1", "show bfd clients", daemon="bfdd")
    assert "ribd" in str(clients)


def test_route_never_up_stays_out(ww):
    """A session that never comes up keeps its route out of the kernel."""
    wait_up(ww, "r1", R1_UP, "r1's BFD routes up, in the kernel")
    wait_until(lambda: bfd_state(ww, "r1", "10.97.0.0/16") == "down",
               timeout=DEADLINE, what="r1 multihop session reported down")
    nh = rib_nexthop(ww, "r1", "10.97.0.0/16")
    assert not nh["active"] and not nh["bfd"]["usable"]
    assert nh["bfd"]["multihop"] and nh["bfd"]["source"] == "10.0.12.1"
    assert not in_kernel(ww, "r1", "10.97.0.0/16")
    sessions = {(s["peer"], s["multihop"]): s for s in
                ww.wp_json("r1", "show rib bfd")["sessions"]}
    assert sessions[("10.0.12.2", True)]["state"] == "down"
    assert sessions[("10.0.12.2", False)]["state"] == "up"


def test_bfd_loss_withdraws_and_restores(ww):
    """BFD dropped in r2's namespace: the routes on both sides leave the
    kernel; the drop removed: they come back."""
    wait_up(ww, "r1", R1_UP, "r1's BFD routes up, in the kernel")
    wait_up(ww, "r2", R2_UP, "r2's BFD routes up, in the kernel")
    drop_bfd(ww, "r2")
    try:
        wait_routes(ww, "r1", R1_UP, False, "r1's BFD routes withdrawn")
        wait_routes(ww, "r2", R2_UP, False, "r2's BFD routes withdrawn")
        for p in R1_UP:
            nh = rib_nexthop(ww, "r1", p)
            assert not nh["active"] and nh["bfd"]["state"] != "up", nh
        # The link itself is fine: only BFD says the path is down.
        assert ww.ping("r1", "10.0.12.2")
    finally:
        undrop_bfd(ww, "r2")
    wait_up(ww, "r1", R1_UP, "r1's BFD routes restored")
    wait_up(ww, "r2", R2_UP, "r2's BFD routes restored")


def alive(pid):
    """PID is a process that has not exited (a zombie has)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_bfdd_restart_reregisters(ww):
    """bfdd killed on r1: ribd keeps the last state it heard (the routes
    stay); bfdd started again: ribd registers again, the sessions come
    back Up and the routes with them."""
    wait_up(ww, "r1", R1_UP, "r1's BFD routes up, in the kernel")
    before = ww.wp_json("r1", "show rib bfd")["counters"]["connects"]
    nst = ww._node_state("r1", "waypoint")
    rec = [d for d in nst["daemons"] if d["name"] == "bfdd"][0]
    argv = rec["cmd"]
    pid = ww.wp_pid("r1", "bfdd")
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not alive(pid), timeout=DEADLINE,
               what="the killed bfdd gone")
    wait_until(lambda: not ww.wp_json("r1", "show rib bfd")["connected"],
               timeout=DEADLINE, what="ribd notices bfdd is gone")
    assert all(in_kernel(ww, "r1", p) for p in R1_UP)
    sock = ww.wp_socket("r1", "bfdd")
    if os.path.exists(sock):
        os.unlink(sock)
    subprocess.run(["ip", "netns", "exec", nst["netns"]] + argv,
                   check=True, timeout=30)
    wait_until(lambda: ww.wp_json("r1", "show rib bfd")["counters"]
               ["connects"] > before, timeout=DEADLINE,
               what="ribd connected to the new bfdd")
    wait_up(ww, "r1", R1_UP, "r1's BFD routes up after the restart")


def test_running_config_round_trip(ww):
    """mgmtd renders the bfd lines back exactly as the file has them."""
    text = ww.wp_cmd("r1", "show running-config", daemon="mgmtd")
    with open(ww.topo.nodes["r1"].config) as f:
        want = [ln for ln in f.read().splitlines() if " bfd" in ln and
                "route" in ln]
    got = [ln for ln in text.splitlines() if " bfd" in ln and "route" in ln]
    assert got == want


def test_commit_changes_monitoring(ww, tmp_path):
    """Through mgmtd: a commit that takes bfd off a route installs it and
    releases its session (bfdd deletes it); with bfd again, the session
    is back and the route out while the peer does not answer."""
    mh = ("10.0.12.2", True)

    def sessions():
        return {(x["peer"], x["multihop"]): x for x in
                ww.wp_json("r1", "show rib bfd")["sessions"]}

    def bfdd_has_mh():
        return any(p["peer"] == "10.0.12.2" and p["multihop"] for p in
                   ww.wp_json("r1", "show bfd peers",
                              daemon="bfdd")["peers"])

    wait_until(lambda: bfd_state(ww, "r1", "10.97.0.0/16") == "down",
               timeout=DEADLINE, what="multihop session reported down")
    assert bfdd_has_mh()
    nh = ("/waypoint-routing:routing/static-routes/ipv4/route[prefix="
          "'10.97.0.0/16']/path[distance='1']/nexthop[gateway='10.0.12.2']"
          "[interface='']")
    cp = ww.wp_cfg("r1", "edit delete %s/bfd" % nh,
                   "edit delete %s/bfd-options" % nh, "commit drop bfd")
    assert cp.returncode == 0, cp.stderr
    assert "ip route 10.97.0.0/16 10.0.12.2\n" in ww.wp_cmd(
        "r1", "show running-config", daemon="mgmtd")
    wait_routes(ww, "r1", ("10.97.0.0/16",), True,
                "route without bfd installed")
    assert "bfd" not in rib_nexthop(ww, "r1", "10.97.0.0/16")
    assert mh not in sessions()
    wait_until(lambda: not bfdd_has_mh(), timeout=DEADLINE,
               what="bfdd released the multihop session")
    assert ww.route("r1", "10.99.0.0/16") is not None   # untouched

    again = tmp_path / "again.conf"
    again.write_text("ip route 10.97.0.0/16 10.0.12.2 bfd multihop source "
                     "10.0.12.1 profile fast\n")
    cp = ww.wp_cfg("r1", "load %s" % again, "commit bfd again")
    assert cp.returncode == 0, cp.stderr
    wait_routes(ww, "r1", ("10.97.0.0/16",), False,
                "route out again: its session is down")
    assert sessions()[mh]["state"] == "down"
    assert bfdd_has_mh()


# --- against FRR --------------------------------------------------------------

def test_frr_peer(wf):
    """Against FRR's bfdd: installed when Up, withdrawn when FRR's
    namespace drops BFD, restored when it stops."""
    p = "10.99.0.0/16"
    wait_up(wf, "r1", (p,), "r1's BFD route up, in the kernel (FRR)")
    peers = wf.frr_json("f1", "show bfd peers")
    assert any(x["peer"] == "10.0.12.1" and x["status"] == "up"
               for x in peers), peers
    drop_bfd(wf, "f1")
    try:
        wait_routes(wf, "r1", (p,), False, "route withdrawn (FRR)")
        assert not rib_nexthop(wf, "r1", p)["active"]
    finally:
        undrop_bfd(wf, "f1")
    wait_up(wf, "r1", (p,), "route restored (FRR)")
