"""ospfd with BFD (``ip ospf bfd``) against FRR 8.4 in namespaces.

topologies/ring (lab ``obfd``): Waypoint r1 (mgmtd, ribd, bfdd, ospfd)
and FRR f1 on a direct link with slow OSPF timers (hello 10 s, dead
40 s) and BFD at 100 ms x 3 on both ends; a longer path through FRR f2
(hello 1 s).  What is asserted:

* the adjacency on the direct link comes up with a BFD session, which
  r1's ospfd registered with its bfdd (``show bfd clients``);
* all traffic of the direct link dropped with nftables in r1's namespace
  (the link stays up, so only BFD can notice quickly): both sides take
  the adjacency down within a few seconds (r1's ``show ip ospf json``
  records when; FRR's log lines carry microseconds), far inside the dead
  interval, and the routes move to the path through f2 (FRR's kernel
  FIB; r1's ``show ip ospf route``, since ospfd does not install routes
  yet); the drop removed, the adjacency and the direct routes return;
* the peer taking its session AdminDown (``shutdown`` in FRR's profile)
  is not a failure (RFC 5882 §3.2): the adjacency stays Full;
* bfdd killed on r1: OSPF goes on as without bfd; bfdd back: Up again;
* ``no ip ospf bfd`` committed through mgmtd deregisters the neighbour
  (bfdd deletes the session) without restarting the interface; ``ip
  ospf bfd profile fast`` again registers it;
* ``max-metric router-lsa administrative`` on r1 (RFC 6987): its
  router-LSA has the point-to-point links at 65535 and the stub links
  at their costs (as FRR stores it), and f1's route to f2, through r1
  before, takes the direct link of cost 30; removed: back through r1.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from lablib import roles
from lablib.harness import (Lab, frr_log_events, require_frr, require_root,
                            wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))
R1, F1, F2 = "10.255.0.1", "10.255.0.2", "10.255.0.3"
DEAD = 40           # the direct link's dead interval, seconds
HELLO = 10
# A detection must come well before the dead interval: within a hello
# interval (BFD itself needs 0.3 s; the rest is a loaded machine).
BOUND = HELLO
# Deadlines for things that take hellos: the first adjacency on the
# direct link needs up to a hello interval or two after the drop ends.
DEADLINE = 120         # generous: a loaded CI machine, not a measurement


def _require():
    require_root()
    require_frr("ospfd", "bfdd")
    find = roles.waypoint_bindir()
    for d in ("mgmtd", "ribd", "bfdd", "ospfd"):
        if find is None or not find(d):
            pytest.skip("%s is not built" % d)
    if not roles.waypoint_tool("wpvty"):
        pytest.skip("tools/wpvty is not built")
    if shutil.which("nft") is None:
        pytest.skip("nft is not installed (apt-get install nftables)")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, request):
    _require()
    d = tmp_path_factory.mktemp("obfd") / "ring"
    shutil.copytree(os.path.join(HERE, "topologies", "ring"), d)
    lab = Lab(str(d), timeout=60)
    lab.up()
    before = request.session.testsfailed
    try:
        # FRR's adjacency changes with microseconds, in a file of ours.
        log = os.path.join(lab.frr_dir("f1"), "ospf-ts.log")
        lab.frr_configure("f1", "log timestamp precision 6",
                          "log file %s debugging" % log)
        lab.frr_log = log
        yield lab
    finally:
        if request.session.testsfailed > before:
            print(lab.diagnostics())
            print(lab.logs())
        lab.down()
    # ospfd, bfdd, ribd, mgmtd stopped cleanly, no leaks reported.
    lab.check_shutdown()


# --- views --------------------------------------------------------------------

def wp(lab, cmd):
    return lab.wp_json("r1", cmd, daemon="ospfd")


def our_nbrs(lab):
    """{(router ID, interface): neighbour JSON} as r1 sees them."""
    return {(n["routerId"], n["interface"]): n
            for n in wp(lab, "show ip ospf neighbor")["neighbors"]}


def direct_full(lab):
    """The direct adjacency Full on both ends."""
    n = our_nbrs(lab).get((F1, "eth1"))
    return (n is not None and n["state"] == "Full" and
            lab.frr_ospf_neighbors("f1").get((R1, "eth1"),
                                             "").startswith("Full"))


def direct_gone(lab):
    return ((F1, "eth1") not in our_nbrs(lab) and
            (R1, "eth1") not in lab.frr_ospf_neighbors("f1"))


def our_bfd(lab):
    """r1's BFD status of its neighbour f1 on eth1, or None."""
    n = our_nbrs(lab).get((F1, "eth1"))
    return n and n.get("bfdStatus")


def bfd_up(lab):
    """Full, and the session Up in r1's ospfd, r1's bfdd and f1's bfdd."""
    st = our_bfd(lab)
    if not (direct_full(lab) and st and st["state"] == "up"):
        return False
    peers = lab.frr_json("f1", "show bfd peers")
    return any(p["peer"] == "10.0.12.1" and p["status"] == "up"
               for p in peers)


def our_bfdd_peers(lab):
    js = lab.wp_json("r1", "show bfd peers", daemon="bfdd")
    return {(p["peer"], p["multihop"]): p for p in js["peers"]}


def our_route(lab, prefix):
    for r in wp(lab, "show ip ospf route")["routes"]:
        if r["prefix"] == prefix:
            return r
    return None


def our_via(lab, prefix):
    r = our_route(lab, prefix)
    return r and [(n.get("ip"), n.get("interface"))
                  for n in r["nexthops"]]


def frr_via(lab, prefix):
    r = lab.route("f1", prefix)
    return r and (r.get("gateway"), r.get("dev"), r.get("protocol"))


_ADJ = re.compile(r"AdjChg: Nbr (\S+?),.* on (\w+):\S+: (\S+) -> (\S+)")


def frr_adj_changes(lab):
    """[(epoch, router ID, interface, from, to)] from f1's log file."""
    return [(t,) + m.group(1, 2, 3, 4)
            for t, m in frr_log_events(lab.frr_log, _ADJ)]


def frr_deleted_since(lab, t0):
    return [x for x in frr_adj_changes(lab)
            if x[0] >= t0 and x[1] == R1 and x[2] == "eth1" and
            x[4] == "Deleted"]


def drop_direct(lab):
    """Drop everything r1 sends or receives on eth1; the link stays up."""
    lab.run("r1", ["nft", "-f", "-"], check=True, input=(
        "table inet obfd {\n"
        " chain input { type filter hook input priority 0; "
        "iifname \"eth1\" drop; }\n"
        " chain output { type filter hook output priority 0; "
        "oifname \"eth1\" drop; }\n"
        "}\n"))


def undrop_direct(lab):
    lab.exec("r1", "nft delete table inet obfd")


def wait_direct(lab, what):
    wait_until(lambda: bfd_up(lab) and
               frr_via(lab, R1 + "/32") == ("10.0.12.1", "eth1", "ospf") and
               our_via(lab, F1 + "/32") == [("10.0.12.2", "eth1")],
               timeout=DEADLINE, what=what)


# --- tests -----------------------------------------------------------------------

def test_adjacency_with_bfd(lab):
    """The direct adjacency comes up with its BFD session Up on both
    ends; r1's bfdd has it from ospfd; the f2 neighbour has no BFD."""
    wait_direct(lab, "direct adjacency Full, BFD up, direct routes")
    wait_until(lambda: our_nbrs(lab).get((F2, "eth2"), {}).get("state") ==
               "Full", timeout=DEADLINE, what="r1 Full with f2")
    st = our_bfd(lab)
    assert st["registered"] and st["profile"] == "fast"
    assert "bfdStatus" not in our_nbrs(lab)[(F2, "eth2")]
    ifs = {i["name"]: i for i in wp(lab, "show ip ospf interface")
           ["interfaces"]}
    assert ifs["eth1"]["bfd"] == {"profile": "fast"}
    assert "bfd" not in ifs["eth2"]
    assert wp(lab, "show ip ospf")["bfd"]["connected"]
    # Registered by ospfd: single hop, from eth1's address, on eth1.
    p = our_bfdd_peers(lab)[("10.0.12.2", False)]
    assert p["state"] == "up" and p["interface"] == "eth1"
    assert p["local"] == "10.0.12.1"
    clients = lab.wp_json("r1", "show bfd clients", daemon="bfdd")
    assert "ospfd" in str(clients), clients


def test_cut_detected_by_bfd(lab):
    """All traffic of the direct link dropped: both ends take the
    adjacency down within BOUND seconds (the dead interval is 40), the
    routes move to the path through f2; restored: they come back."""
    wait_direct(lab, "direct path in use")
    downs0 = wp(lab, "show ip ospf")["bfd"]["neighborsDown"]
    t0 = time.time()
    drop_direct(lab)
    try:
        wait_until(lambda: direct_gone(lab) and
                   frr_deleted_since(lab, t0 - 0.01),
                   timeout=DEAD - HELLO, what="the adjacency down on both "
                   "ends, before the dead interval")
        b = wp(lab, "show ip ospf")["bfd"]
        ours = b["lastDownTime"] - t0
        theirs = frr_deleted_since(lab, t0 - 0.01)[0][0] - t0
        sys.stdout.write("adjacency down after (s): r1 %.3f, f1 %.3f\n"
                         % (ours, theirs))
        assert b["neighborsDown"] == downs0 + 1
        assert b["lastDownNeighbor"] == F1
        assert 0 < ours <= BOUND, "r1 took %.3f s" % ours
        assert -0.01 <= theirs <= BOUND, "f1 took %.3f s" % theirs
        # The link itself is up: OSPF alone would have waited 40 s.
        ifs = {i["name"]: i for i in wp(lab, "show ip ospf interface")
               ["interfaces"]}
        assert ifs["eth1"]["state"] == "Point-To-Point"
        # Traffic takes the longer path.
        wait_until(lambda: frr_via(lab, R1 + "/32") ==
                   ("10.0.23.3", "eth2", "ospf") and
                   our_via(lab, F1 + "/32") == [("10.0.13.3", "eth2")],
                   timeout=DEADLINE, what="routes through f2")
        assert our_route(lab, F1 + "/32")["cost"] == 40
    finally:
        undrop_direct(lab)
    wait_direct(lab, "direct adjacency and routes back")


def test_peer_admin_down_keeps_adjacency(lab):
    """f1 takes the session AdminDown: r1's session goes Down, and the
    adjacency stays Full (RFC 5882 §3.2); back up with no shutdown."""
    wait_direct(lab, "direct path in use")
    downs0 = wp(lab, "show ip ospf")["bfd"]["neighborsDown"]
    t0 = time.time()
    lab.frr_configure("f1", "bfd", "profile fast", "shutdown")
    try:
        wait_until(lambda: (our_bfd(lab) or {}).get("state") == "down",
                   timeout=DEADLINE, what="r1 sees the session down")
        st = our_bfd(lab)
        assert st["remoteAdminDown"], st
        # Hellos go on (1 every 10 s) and nothing tears the adjacency
        # down: after a hello each way it is still Full on both ends.
        hellos = {i["name"]: i["received"]["hello"] for i in
                  wp(lab, "show ip ospf interface")["interfaces"]}
        wait_until(lambda: {i["name"]: i["received"]["hello"] for i in
                            wp(lab, "show ip ospf interface")["interfaces"]}
                   ["eth1"] > hellos["eth1"], timeout=DEADLINE,
                   what="a hello from f1 after the AdminDown")
        assert direct_full(lab)
        assert wp(lab, "show ip ospf")["bfd"]["neighborsDown"] == downs0
        assert not frr_deleted_since(lab, t0)
    finally:
        lab.frr_configure("f1", "bfd", "profile fast", "no shutdown")
    wait_direct(lab, "session up again")


def test_bfd_off_and_on_through_mgmtd(lab):
    """`no ip ospf bfd` committed: the neighbour is deregistered (r1's
    bfdd deletes the session), the interface is not restarted; back on:
    registered again, Up."""
    wait_direct(lab, "direct path in use")
    changes0 = {i["name"]: i["stateChanges"] for i in
                wp(lab, "show ip ospf interface")["interfaces"]}
    lab.wp_configure("r1", "interface eth1", "no ip ospf bfd")
    try:
        wait_until(lambda: ("10.0.12.2", False) not in our_bfdd_peers(lab),
                   timeout=DEADLINE, what="r1's bfdd deleted the session")
        n = our_nbrs(lab).get((F1, "eth1"))
        assert n is None or "bfdStatus" not in n
        ifs = {i["name"]: i for i in wp(lab, "show ip ospf interface")
               ["interfaces"]}
        assert "bfd" not in ifs["eth1"]
        assert ifs["eth1"]["stateChanges"] == changes0["eth1"]
    finally:
        lab.wp_configure("r1", "interface eth1", "ip ospf bfd profile fast")
    wait_direct(lab, "registered and up again")
    run = lab.wp_cmd("r1", "show running-config", daemon="mgmtd")
    assert " ip ospf bfd profile fast" in run.splitlines(), run


def _gone(pid):
    """PID has exited (or is a zombie)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_without_bfdd(lab):
    """bfdd killed on r1: f1 (whose session stops) takes the adjacency
    down once, and it comes back Full as without bfd, the neighbour
    registered for when bfdd returns; bfdd started again: the session
    comes Up and nothing flaps."""
    wait_direct(lab, "direct path in use")
    nst = lab._node_state("r1", "waypoint")
    argv = [d for d in nst["daemons"] if d["name"] == "bfdd"][0]["cmd"]
    pid = lab.wp_pid("r1", "bfdd")
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: _gone(pid), timeout=DEADLINE, what="bfdd gone")
    wait_until(lambda: not wp(lab, "show ip ospf")["bfd"]["connected"],
               timeout=DEADLINE, what="ospfd notices bfdd is gone")
    t0 = time.time()
    wait_until(lambda: frr_deleted_since(lab, t0 - 5) and direct_full(lab),
               timeout=DEADLINE, what="f1 drops the adjacency, and it "
               "comes back without BFD")
    # Still registered, for the next bfdd (the last state heard stays).
    assert our_bfd(lab)["registered"]
    wait_until(lambda: frr_via(lab, R1 + "/32") ==
               ("10.0.12.1", "eth1", "ospf"), timeout=DEADLINE,
               what="f1 routes over the direct link again")
    downs0 = wp(lab, "show ip ospf")["bfd"]["neighborsDown"]
    sock = lab.wp_socket("r1", "bfdd")
    if os.path.exists(sock):
        os.unlink(sock)
    subprocess.run(["ip", "netns", "exec", nst["netns"]] + argv,
                   check=True, timeout=30)
    t1 = time.time()
    wait_direct(lab, "BFD up again with the new bfdd")
    assert wp(lab, "show ip ospf")["bfd"]["neighborsDown"] == downs0
    assert not frr_deleted_since(lab, t1)


def frr_rtr_lsa_links(lab, node, adv):
    """{(link type, link ID): metric} of ADV's router-LSA in NODE's LSDB."""
    js = lab.frr_json(node, "show ip ospf database router %s" % adv)
    out = {}
    for area in js.get("routerLinkStates", {}).get("areas", {}).values():
        for lsa in area:
            for link in lsa.get("routerLinks", {}).values():
                key = (link.get("linkType") or "",
                       link.get("neighborRouterId") or
                       link.get("networkAddress") or "")
                out[key] = link.get("tos0Metric")
    return out


def test_max_metric(lab):
    """r1 as a stub router: f1 routes to f2 over its own link, not
    through r1; the setting removed: through r1 again."""
    wait_direct(lab, "direct path in use")
    wait_until(lambda: frr_via(lab, F2 + "/32") ==
               ("10.0.12.1", "eth1", "ospf"), timeout=DEADLINE,
               what="f1 reaches f2 through r1 (10 + 10 < 30)")
    lab.wp_configure("r1", "router ospf",
                     "max-metric router-lsa administrative")
    try:
        wait_until(lambda: frr_via(lab, F2 + "/32") ==
                   ("10.0.23.3", "eth2", "ospf"), timeout=DEADLINE,
                   what="f1 reaches f2 over the direct link")
        mm = wp(lab, "show ip ospf")["maxMetric"]
        assert mm["active"] and mm["administrative"], mm
        links = frr_rtr_lsa_links(lab, "f1", R1)
        p2p = {k: v for k, v in links.items() if "point-to-point" in k[0]}
        stub = {k: v for k, v in links.items() if "Stub" in k[0]}
        assert p2p and all(v == 65535 for v in p2p.values()), links
        assert stub and all(v < 65535 for v in stub.values()), links
        # r1's own routes are its own business: unchanged.
        assert our_via(lab, F1 + "/32") == [("10.0.12.2", "eth1")]
        # And f1 still reaches r1 itself directly.
        assert frr_via(lab, R1 + "/32") == ("10.0.12.1", "eth1", "ospf")
    finally:
        lab.wp_configure("r1", "router ospf",
                         "no max-metric router-lsa administrative")
    wait_until(lambda: frr_via(lab, F2 + "/32") ==
               ("10.0.12.1", "eth1", "ospf"), timeout=DEADLINE,
               what="f1 reaches f2 through r1 again")
    assert not wp(lab, "show ip ospf")["maxMetric"]["active"]
