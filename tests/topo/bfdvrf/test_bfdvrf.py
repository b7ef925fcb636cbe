"""bfdd sessions in VRFs, in namespaces on a kernel with the vrf device.

topologies/vrf (lab ``bvrf-vrf``): r1 and r2 (Waypoint) joined by a link
in the default VRF and one in VRF red (table 10) with THE SAME addresses
(10.0.0.1/24 <-> 10.0.0.2/24), and a third, in VRF blue, whose device r1
does not have when bfdd starts; f1 (FRR 8.4's bfdd) in VRF red on r1's
eth3.  Sessions run 300 ms x 3 (the guest is slow); those that must stay
Up while red is cut (the default one, f1's) 300 ms x 10: on a busy host
the guest loses its CPU for a second now and then.  What is asserted:

* the default and the red session to 10.0.0.2 both come Up, on both
  sides, each showing its VRF (JSON and text); so do the single-hop
  IPv6 session and a multihop one (between the VRF devices' own
  addresses) in red;
* ``show bfd vrf NAME peers`` and ``show bfd vrf NAME peer ADDR`` show
  that VRF's sessions only; ``clear bfd vrf red peer ADDR counters``
  clears the red session's counters and not the default one's;
* the red IPv4 session runs the echo function (its echo packets come
  back through the peer's forwarding in red to our red echo socket),
  both ways; the IPv6 one is bound to its interface (eth2, in red);
* the blue session is Down, saying "vrf blue: no such device"; once r1
  creates blue and enslaves the link, it comes Up by itself; blue's
  receive sockets exist while the session does, and go with it;
* a session whose VRF names a device that is no vrf (eth1) stays Down,
  saying "vrf eth1: not a vrf device", with no socket bound to eth1;
* the red link cut (link down on r2): the red sessions go Down on both
  sides, the default one stays Up (no Down in its counters); back up,
  the red ones return;
* against FRR, the IPv4 and IPv6 sessions in VRF red are Up on both
  sides (FRR's ``show bfd vrf red peers json`` and ours).

Run in the guest: ``tools/vmrun -- /usr/bin/python3 -m pytest -q
tests/topo/bfdvrf`` (doc/labs.md, vmtest); on a kernel without the vrf
device it skips.
"""

import os

import pytest

from lablib import roles
from lablib.harness import WaitTimeout, module_lab, require_frr, \
    require_kernel, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "vrf")
# 300 ms x 3 detects in 0.9 s, comes up in a few seconds (one packet a
# second while not Up, RFC 5880 §6.8.3); the guest runs ~8x slower.
DEADLINE = 90

pytestmark = pytest.mark.fullkernel


@pytest.fixture(scope="module")
def lab():
    require_kernel("vrf")
    require_frr("bfdd")
    if not roles.waypoint_tool("wpvty"):
        pytest.skip("tools/wpvty is not built")
    yield from module_lab(TOPO, waypoint=("mgmtd", "ribd", "bfdd"))


@pytest.fixture(autouse=True)
def _logs_on_failure(request, lab):
    """The nodes' logs and sessions when a test failed (the lab outlives
    it)."""
    yield
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        for node in ("r1", "r2"):
            print("==> %s show bfd peers" % node)
            print(lab.wp_cmd(node, "show bfd peers", daemon="bfdd",
                             check=False))
        print(lab.logs())


def peers(lab, node, cmd="show bfd peers"):
    """{(peer, vrf): peer JSON} of NODE's bfdd."""
    return {(p["peer"], p["vrf"]): p
            for p in lab.wp_json(node, cmd, daemon="bfdd")["peers"]}


def states(lab, node):
    return {k: p["state"] for k, p in peers(lab, node).items()}


def wait_states(lab, node, want, what):
    """Poll until NODE's sessions WANT ({(peer, vrf): state}) are so."""
    seen = {}

    def ok():
        seen.clear()
        seen.update(states(lab, node))
        return all(seen.get(k) == v for k, v in want.items())
    try:
        wait_until(ok, timeout=DEADLINE, what="%s: %s" % (node, what))
    except WaitTimeout as e:
        raise AssertionError("%s; sessions: %r; %s" % (
            e, seen, _story(lab, {v for _, v in want}))) from e


def _story(lab, vrfs):
    """For a failure message: both routers' sessions in VRFS with their
    packet counters, and their neighbour tables."""
    out = []
    for node in ("r1", "r2"):
        for (peer, vrf), p in sorted(peers(lab, node).items()):
            if vrf not in vrfs:
                continue
            c = p["counters"]
            out.append("%s %s vrf %s: %s, rx %d tx %d txErrors %d%s" % (
                node, peer, vrf, p["state"], c["rxPackets"],
                c["txPackets"], c["txErrors"], "".join(
                    " %s %d" % (k, v) for k, v in c["rxErrors"].items()
                    if v)))
        out.append("%s neighbours: %s" % (node, lab.exec(
            node, ["ip", "neigh", "show"]).strip().replace("\n", "; ")))
    return "; ".join(out)


R1_UP = {("10.0.0.2", "default"): "up", ("10.0.0.2", "red"): "up",
         ("fd00:10::2", "red"): "up", ("10.0.1.2", "red"): "up",
         ("fd00:11::2", "red"): "up", ("10.255.0.2", "red"): "up"}
R2_UP = {("10.0.0.1", "default"): "up", ("10.0.0.1", "red"): "up",
         ("fd00:10::1", "red"): "up", ("10.255.0.1", "red"): "up",
         ("10.0.0.1", "blue"): "down"}


def test_same_address_two_vrfs(lab):
    wait_states(lab, "r1", R1_UP, "default and red sessions up")
    wait_states(lab, "r2", R2_UP, "default and red sessions up")
    p1 = peers(lab, "r1")
    # two sessions, two discriminators, each peer's own
    d, r = p1[("10.0.0.2", "default")], p1[("10.0.0.2", "red")]
    assert d["localDiscriminator"] != r["localDiscriminator"]
    p2 = peers(lab, "r2")
    assert d["remoteDiscriminator"] == \
        p2[("10.0.0.1", "default")]["localDiscriminator"]
    assert r["remoteDiscriminator"] == \
        p2[("10.0.0.1", "red")]["localDiscriminator"]
    # the text says the VRF too
    text = lab.wp_cmd("r1", "show bfd peers", daemon="bfdd")
    assert "peer 10.0.0.2 vrf default\n" in text
    assert "peer 10.0.0.2 vrf red\n" in text
    brief = lab.wp_json("r1", "show bfd peers brief", daemon="bfdd")
    assert sorted((p["peer"], p["vrf"]) for p in brief["peers"]) == \
        sorted(p1)


def test_show_by_vrf(lab):
    wait_states(lab, "r1", R1_UP, "sessions up")
    red = peers(lab, "r1", "show bfd vrf red peers")
    assert sorted(red) == [("10.0.0.2", "red"), ("10.0.1.2", "red"),
                           ("10.255.0.2", "red"), ("fd00:10::2", "red"),
                           ("fd00:11::2", "red")]
    assert red[("10.255.0.2", "red")]["multihop"]
    assert list(peers(lab, "r1", "show bfd vrf default peers")) == \
        [("10.0.0.2", "default")]
    assert sorted(peers(lab, "r1", "show bfd vrf red peer 10.0.0.2")) == \
        [("10.0.0.2", "red")]
    assert sorted(peers(lab, "r1", "show bfd peer 10.0.0.2")) == \
        [("10.0.0.2", "blue"), ("10.0.0.2", "default"), ("10.0.0.2", "red")]
    assert peers(lab, "r1", "show bfd vrf green peers") == {}
    # the text forms, filtered the same way
    brief = lab.wp_cmd("r1", "show bfd vrf red peers brief", daemon="bfdd")
    assert " red " in brief and " default " not in brief, brief
    counters = lab.wp_cmd("r1", "show bfd vrf default peers counters",
                          daemon="bfdd")
    assert counters.startswith("peer 10.0.0.2 vrf default\n"), counters
    assert "Counters:" in counters and " vrf red" not in counters
    bad = lab.wp_cmd("r1", "show bfd vrf a/b peers", daemon="bfdd",
                     raw=True)
    assert bad.returncode != 0, bad
    assert "not a device name" in bad.stdout + bad.stderr, bad
    # clear the red session's counters only: it counts from 0 again, the
    # default one goes on (20 packets are 6 s at 300 ms)
    def rx(key):
        return peers(lab, "r1")[key]["counters"]["rxPackets"]
    dkey, rkey = ("10.0.0.2", "default"), ("10.0.0.2", "red")
    wait_until(lambda: rx(dkey) >= 20 and rx(rkey) >= 20,
               timeout=DEADLINE, what="packets counted")
    d0, r0 = rx(dkey), rx(rkey)
    lab.wp_cmd("r1", "clear bfd vrf red peer 10.0.0.2 counters",
               daemon="bfdd")
    assert rx(dkey) >= d0
    assert rx(rkey) < r0


def test_echo_and_interface_in_vrf(lab):
    wait_states(lab, "r1", R1_UP, "sessions up")

    def echo_back(node, peer):
        p = peers(lab, node)[(peer, "red")]
        return p["echoActive"] and p["echo"]["rxPackets"] >= 5
    for node, peer in (("r1", "10.0.0.2"), ("r2", "10.0.0.1")):
        wait_until(lambda: echo_back(node, peer), timeout=DEADLINE,
                   what="%s: red echo packets back" % node)
    assert not peers(lab, "r1")[("10.0.0.2", "default")]["echoActive"]
    assert peers(lab, "r1")[("fd00:10::2", "red")]["interface"] == "eth2"


def test_vrf_device_appears(lab):
    """blue does not exist on r1: Down with the reason, then Up by itself
    once the device is there and the link enslaved."""
    key = ("10.0.0.2", "blue")
    p = peers(lab, "r1")[key]
    assert p["state"] == "down"
    assert p["problem"] == "vrf blue: no such device"
    assert "Problem: vrf blue: no such device" in lab.wp_cmd(
        "r1", "show bfd vrf blue peers", daemon="bfdd")
    for cmd in (["ip", "link", "add", "blue", "type", "vrf", "table", "20"],
                ["ip", "link", "set", "blue", "up"],
                ["ip", "route", "add", "vrf", "blue", "unreachable",
                 "default", "metric", "4278198272"],
                ["ip", "link", "set", "eth4", "master", "blue"],
                ["ip", "addr", "add", "10.0.0.1/24", "dev", "eth4"],
                ["ip", "link", "set", "eth4", "up"]):
        lab.exec("r1", cmd)
    wait_states(lab, "r1", {key: "up"}, "blue session up")
    wait_states(lab, "r2", {("10.0.0.1", "blue"): "up"}, "blue session up")
    assert "problem" not in peers(lab, "r1")[key]
    # blue's receive sockets are there while a session is, and only then
    assert "%blue:3784" in udp_sockets(lab, "r1")
    lab.wp_configure("r1", "bfd", "no peer 10.0.0.2 vrf blue")
    wait_until(lambda: key not in peers(lab, "r1") and
               "%blue:" not in udp_sockets(lab, "r1"), timeout=DEADLINE,
               what="blue's session and sockets gone")
    assert "%red:3784" in udp_sockets(lab, "r1")


def test_vrf_name_not_a_vrf(lab):
    """A VRF name that is a device but not a vrf one (eth1, r1's link in
    the default VRF) is refused at run time: the session waits, Down,
    saying why, and no socket is bound to eth1 for it."""
    key = ("10.0.0.2", "eth1")
    lab.wp_configure("r1", "bfd", "peer 10.0.0.2 vrf eth1", "exit")
    wait_until(lambda: key in peers(lab, "r1"), timeout=DEADLINE,
               what="the eth1 'vrf' session configured")
    p = peers(lab, "r1")[key]
    assert p["state"] == "down"
    assert p["problem"] == "vrf eth1: not a vrf device"
    assert "%eth1:3784" not in udp_sockets(lab, "r1")
    lab.wp_configure("r1", "bfd", "no peer 10.0.0.2 vrf eth1")
    wait_until(lambda: key not in peers(lab, "r1"), timeout=DEADLINE,
               what="the eth1 'vrf' session gone")


def udp_sockets(lab, node):
    """NODE's UDP sockets, `ss -uan` (a socket bound to a device shows
    as ADDR%DEV:PORT)."""
    return lab.exec(node, ["ss", "-uan"])


def down_count(lab, node, key):
    return peers(lab, node)[key]["counters"]["downCount"]


def test_cut_red_only(lab):
    wait_states(lab, "r1", R1_UP, "sessions up")
    wait_states(lab, "r2", {k: v for k, v in R2_UP.items()
                            if k[1] != "blue"}, "sessions up")
    before = {("r1", "10.0.0.2"): down_count(lab, "r1",
                                             ("10.0.0.2", "default")),
              ("r2", "10.0.0.1"): down_count(lab, "r2",
                                             ("10.0.0.1", "default"))}
    lab.exec("r2", ["ip", "link", "set", "eth2", "down"])
    try:
        wait_states(lab, "r1", {("10.0.0.2", "red"): "down",
                                ("fd00:10::2", "red"): "down"},
                    "red sessions down")
        wait_states(lab, "r2", {("10.0.0.1", "red"): "down",
                                ("fd00:10::1", "red"): "down"},
                    "red sessions down")
        s1, s2 = states(lab, "r1"), states(lab, "r2")
        assert s1[("10.0.0.2", "default")] == "up"
        assert s1[("10.0.1.2", "red")] == "up"    # f1: another red link
        assert s2[("10.0.0.1", "default")] == "up"
        for (node, peer), n in before.items():
            assert down_count(lab, node, (peer, "default")) == n, node
        # still down: it was the cut, not a passing flap
        assert states(lab, "r1")[("10.0.0.2", "red")] == "down"
        assert states(lab, "r2")[("10.0.0.1", "red")] == "down"
    finally:
        lab.exec("r2", ["ip", "link", "set", "eth2", "up"])
        # the kernel dropped the multihop route with the link
        lab.exec("r2", ["ip", "route", "replace", "vrf", "red",
                        "10.255.0.1/32", "via", "10.0.0.1"])
    wait_states(lab, "r1", R1_UP, "red sessions back")


@pytest.mark.parametrize("ours_addr, theirs_addr", [
    ("10.0.1.2", "10.0.1.1"), ("fd00:11::2", "fd00:11::1")])
def test_against_frr_in_vrf(lab, ours_addr, theirs_addr):
    wait_states(lab, "r1", {(ours_addr, "red"): "up"}, "FRR session up")

    def frr_up():
        ps = lab.frr_json("f1", "show bfd vrf red peers")
        return [p for p in ps if p["peer"] == theirs_addr and
                p.get("vrf") == "red" and p["status"] == "up"]
    wait_until(frr_up, timeout=DEADLINE, what="FRR's red session up")
    theirs = frr_up()[0]
    ours = peers(lab, "r1")[(ours_addr, "red")]
    assert ours["state"] == "up"
    assert theirs["id"] == ours["remoteDiscriminator"]
    assert theirs["remote-id"] == ours["localDiscriminator"]


def static_in(lab, node, table, prefix):
    """NODE's kernel route to PREFIX in TABLE, or None."""
    for r in lab.kernel_routes(node, table=table):
        if r.get("dst") == prefix:
            return r
    return None


def test_static_bfd_in_vrf(lab):
    """A static route with `bfd` under `vrf red` follows the red session
    (RFC 5882 §3.2: withdrawn while it is Down), in table 10 only: the
    same prefix with `bfd` in the default VRF follows the default
    session and stays in main while red's packets are dropped."""
    wait_states(lab, "r1", R1_UP, "sessions up")
    lab.wp_configure("r1", "vrf red",
                     "ip route 10.99.0.0/24 10.0.0.2 bfd", "exit-vrf",
                     "ip route 10.99.0.0/24 10.0.0.2 bfd")
    cut = ["nft", "-f", "-"]
    try:
        wait_until(lambda: static_in(lab, "r1", 10, "10.99.0.0/24") and
                   static_in(lab, "r1", "main", "10.99.0.0/24"),
                   timeout=DEADLINE, what="the static in table 10 and main")
        # r2 hears nothing from r1 in red: its red session goes Down and
        # tells r1 so, which withdraws the red static only.  Prerouting:
        # at input a packet of a VRF port arrives again on the vrf
        # device, and eth2 would match nothing.
        lab.run("r2", cut, check=True, input=(
            "table inet bvrfcut {\n chain in {\n"
            "  type filter hook prerouting priority 0;\n"
            "  iifname \"eth2\" udp dport { 3784, 3785 } drop\n }\n}\n"))
        wait_until(lambda: static_in(lab, "r1", 10, "10.99.0.0/24")
                   is None, timeout=DEADLINE,
                   what="the red static withdrawn on BFD down")
        # Down, or Init on hearing r2's Down (RFC 5880 §6.8.6).
        assert states(lab, "r1")[("10.0.0.2", "red")] != "up"
        # The default session is not cut (polled: in the guest on a busy
        # host it may flap now and then, as the module's doc says).
        wait_until(lambda: states(lab, "r1")[("10.0.0.2", "default")] ==
                   "up" and static_in(lab, "r1", "main", "10.99.0.0/24"),
                   timeout=DEADLINE, what="the default static kept")
        assert static_in(lab, "r1", 10, "10.99.0.0/24") is None
        lab.run("r2", ["nft", "delete", "table", "inet", "bvrfcut"],
                check=True)
        wait_until(lambda: static_in(lab, "r1", 10, "10.99.0.0/24"),
                   timeout=DEADLINE, what="the red static back on BFD up")
    finally:
        lab.run("r2", ["nft", "delete", "table", "inet", "bvrfcut"])
        lab.wp_configure("r1", "vrf red",
                         "no ip route 10.99.0.0/24 10.0.0.2 bfd",
                         "exit-vrf", "no ip route 10.99.0.0/24 10.0.0.2 bfd")
    wait_states(lab, "r1", R1_UP, "sessions up again")
