"""bfdd in network namespaces: against itself and against FRR's bfdd.

Two labs, each brought up once for its tests (topologies/ww, topologies/wf):

* ww: bfdd - bfdd, single-hop IPv4 and IPv6 on a direct link, multihop
  between loopbacks through a forwarding host; each session authenticated
  with a different type;
* wf: bfdd - FRR 8.4 bfdd, the same sessions without authentication
  (FRR's bfdd has none).

Every session runs 100 ms x 3.  What is asserted:

* all sessions Up on both sides (ours: ``show bfd peers json`` through
  wpvty; FRR: ``vtysh -c 'show bfd peers json'``);
* a parameter change runs a poll sequence and nothing flaps: no Down in
  either side's state history or counters;
* the single-hop sessions also run the echo function (50 ms), both
  ways, IPv4 and IPv6 between Waypoint nodes, IPv4 with FRR;
* a link cut is detected by both sides within detect-mult x interval plus
  one interval (the echo interval where echo runs, as it is faster than
  the control packets), measured from the time the link went down to the Down
  transition each side recorded (our history timestamps; FRR's log lines
  at microsecond precision), never by sleeping;
* a client on bfdd.sock hears the cut in the same time.

bfdd takes its configuration from mgmtd (labctl starts it without -f
when mgmtd loaded the node's file), so the tests change it as a user
does, through vtysh; the labs run from a copy of the topology in a
temporary directory all the same.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from lablib.harness import Lab, require_frr, require_root, wait_until
from lablib.roles import waypoint_bindir, waypoint_tool

HERE = os.path.dirname(os.path.abspath(__file__))
INTERVAL = 0.100                    # seconds, as configured in the labs
MULT = 3
DETECT_BOUND = MULT * INTERVAL + INTERVAL
ECHO = 0.050                        # echo interval of the IPv4 sessions
ECHO_BOUND = MULT * ECHO + ECHO

V4, V6, MH = ("10.0.12.{}", False), ("fd00:12::{}", False), \
    ("10.255.0.{}", True)
SESSIONS = (V4, V6, MH)


def require_bfdd():
    find = waypoint_bindir()
    if not find or not find("bfdd"):
        pytest.skip("bfdd is not built (build it, or set WAYPOINT_BINDIR)")
    if not waypoint_tool("wpvty"):
        pytest.skip("wpvty is not built")


def _lab(tmp_path_factory, name):
    require_root()
    require_bfdd()
    d = tmp_path_factory.mktemp("bfd") / name
    shutil.copytree(os.path.join(HERE, "topologies", name), d)
    lab = Lab(str(d), timeout=60)
    lab.up()
    return lab


@pytest.fixture(scope="module")
def ww(tmp_path_factory):
    lab = _lab(tmp_path_factory, "ww")
    yield lab
    lab.down()


@pytest.fixture(scope="module")
def wf(tmp_path_factory):
    require_frr("bfdd")
    lab = _lab(tmp_path_factory, "wf")
    # FRR writes state changes with microseconds to a log file of ours.
    log = os.path.join(lab.frr_dir("f1"), "bfd-ts.log")
    lab.frr_configure("f1", "log timestamp precision 6",
                      "log file %s debugging" % log)
    lab.frr_log = log
    yield lab
    lab.down()


@pytest.fixture(autouse=True)
def _logs_on_failure(request):
    """Print the labs' logs when a test failed (the labs outlive it)."""
    yield
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        for name in ("ww", "wf"):
            if name in request.fixturenames:
                print(request.getfixturevalue(name).logs())


# --- our side -----------------------------------------------------------------

def peer_addr(sess, me):
    """Address of the peer of node number ME (1 or 2) for a session."""
    return sess[0].format(2 if me == 1 else 1)


def wp_peers(lab, node):
    """{(peer, multihop): peer JSON} of bfdd on NODE."""
    js = lab.wp_json(node, daemon="bfdd", cmd="show bfd peers")
    return {(p["peer"], p["multihop"]): p for p in js["peers"]}


def wp_peer(lab, node, me, sess):
    return wp_peers(lab, node)[(peer_addr(sess, me), sess[1])]


def wp_all_up(lab, node, me):
    ps = wp_peers(lab, node)
    states = {k: p["state"] for k, p in ps.items()}
    want = [(peer_addr(s, me), s[1]) for s in SESSIONS]
    return all(states.get(k) == "up" for k in want) and states


def wp_downs_since(peer, t0):
    """Down transitions in a peer's history at or after epoch time T0."""
    return [h for h in peer["history"]
            if h["to"] == "down" and h["timestamp"] >= t0]


def set_tx_interval(lab, node, ms):
    """Profile `fast` on NODE transmits at MS, committed through vtysh
    and mgmtd, as a user would."""
    lab.wp_configure(node, "bfd", "profile fast",
                     "transmit-interval %d" % ms)


def set_v4_key(lab, node, key):
    """The key of r2's IPv4 single-hop session (ww), through vtysh."""
    assert node == "r2"
    lab.wp_configure(node, "bfd", "peer 10.0.12.1 interface eth1",
                     "authentication meticulous-keyed-sha1 key-id 7 key %s"
                     % key)


def set_link(lab, node, ifname, up):
    lab.exec(node, ["ip", "link", "set", ifname, "up" if up else "down"])


# --- FRR side ------------------------------------------------------------------

def frr_peers(lab, node):
    """{(peer, multihop): peer JSON} of FRR's bfdd on NODE."""
    return {(p["peer"], p["multihop"]): p
            for p in lab.frr_json(node, "show bfd peers")}


def frr_all_up(lab):
    ps = frr_peers(lab, "f1")
    want = [(peer_addr(s, 2), s[1]) for s in SESSIONS]
    return all(ps.get(k, {}).get("status") == "up" for k in want) and ps


def frr_down_count(lab, peer, multihop, ifname=None):
    cmd = "show bfd peer %s%s%s counters json" % (
        peer, " multihop local-address 10.255.0.2" if multihop else "",
        " interface %s" % ifname if ifname else "")
    return lab.frr_json("f1", cmd)["session-down"]


_FRR_LINE = re.compile(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d+) .*"
                       r"state-change: \[mhop:(\w+) peer:(\S+) .*\] "
                       r"(\S+) -> (\S+)")


def frr_transitions(lab):
    """[(epoch, peer, multihop, from, to)] from FRR's log file."""
    out = []
    try:
        with open(lab.frr_log) as f:
            lines = f.readlines()
    except OSError:
        return out
    for line in lines:
        m = _FRR_LINE.match(line)
        if not m:
            continue
        stamp, frac = m.group(1).split(".")
        t = time.mktime(time.strptime(stamp, "%Y/%m/%d %H:%M:%S"))
        out.append((t + float("0." + frac), m.group(3),
                    m.group(2) == "yes", m.group(4), m.group(5)))
    return out


# --- bfdd - bfdd -------------------------------------------------------------------

def test_ww_sessions_up(ww):
    """IPv4 and IPv6 single hop and multihop, authenticated, Up on both."""
    wait_until(lambda: wp_all_up(ww, "r1", 1), timeout=20,
               what="r1: all sessions up")
    wait_until(lambda: wp_all_up(ww, "r2", 2), timeout=10,
               what="r2: all sessions up")
    auth = {V4: "meticulous-keyed-sha1", V6: "keyed-md5", MH: "simple"}
    for node, me in (("r1", 1), ("r2", 2)):
        for sess, typ in auth.items():
            p = wp_peer(ww, node, me, sess)
            assert p["authentication"] == typ
            assert p["remoteState"] == "up"
            assert p["negotiatedTransmitInterval"] == 100
            assert p["detectTime"] == 300
        js = ww.wp_json(node, daemon="bfdd", cmd="show bfd counters")
        bad = {k: v for k, v in js["rxErrors"].items()
               if k.startswith("auth") or k == "badTtl"}
        assert not any(bad.values()), bad
    # multihop really crossed a router: TTL 254 accepted by minimum-ttl 254
    mh = ww.wp_json("r1", daemon="bfdd", cmd="show bfd peer 10.255.0.2")["peers"][0]
    assert mh["multihop"] and mh["minimumTtl"] == 254


def test_ww_poll_without_flap(ww):
    """Slower timers on r1 through vtysh: a poll sequence, no flap; then
    back."""
    wait_until(lambda: wp_all_up(ww, "r1", 1), timeout=20, what="r1 up")
    t0 = time.time()
    polls0 = {s: wp_peer(ww, "r1", 1, s)["counters"]["pollSequences"]
              for s in SESSIONS}
    set_tx_interval(ww, "r1", 200)

    def r2_sees_200():
        return all(wp_peer(ww, "r2", 2, s)["remoteTransmitInterval"] == 200
                   for s in SESSIONS)
    wait_until(r2_sees_200, timeout=5, what="r2 sees r1 transmit at 200 ms")
    wait_until(lambda: not any(wp_peer(ww, "r1", 1, s)["pollInProgress"]
                               for s in SESSIONS),
               timeout=5, what="r1's poll sequences end")
    for s in SESSIONS:
        p1 = wp_peer(ww, "r1", 1, s)
        p2 = wp_peer(ww, "r2", 2, s)
        assert p1["counters"]["pollSequences"] > polls0[s]
        assert p1["negotiatedTransmitInterval"] == 200
        assert p2["detectTime"] == 600
        assert p1["state"] == p2["state"] == "up"
        assert not wp_downs_since(p1, t0) and not wp_downs_since(p2, t0)
    set_tx_interval(ww, "r1", 100)
    wait_until(lambda: all(wp_peer(ww, "r2", 2, s)["detectTime"] == 300
                           for s in SESSIONS),
               timeout=5, what="back to 100 ms")
    for s in SESSIONS:
        assert not wp_downs_since(wp_peer(ww, "r1", 1, s), t0)
        assert not wp_downs_since(wp_peer(ww, "r2", 2, s), t0)


def test_ww_config_through_mgmtd(ww):
    """bfdd's configuration is mgmtd's: running-config shows it, a peer
    added in vtysh gets a session, a commit bfdd refuses names the
    command and changes nothing, and removing the peer deletes it."""
    assert "-f" not in open("/proc/%d/cmdline" % ww.wp_pid("r1", "bfdd"),
                            "rb").read().split(b"\0")
    run = ww.wp_cmd("r1", "show running-config", daemon="mgmtd")
    assert "peer 10.255.0.2 multihop local-address 10.255.0.1" in run, run
    before = sorted(wp_peers(ww, "r1"))
    cp = ww.wp_configure("r1", "bfd", "peer 10.0.12.9 multihop", check=False)
    assert cp.returncode != 0
    msg = cp.stdout + cp.stderr
    assert "bfdd refused" in msg and "multihop sessions need a " \
        "local-address" in msg and "'peer 10.0.12.9 multihop'" in msg, msg
    assert sorted(wp_peers(ww, "r1")) == before
    assert "10.0.12.9" not in ww.wp_cmd("r1", "show running-config", daemon="mgmtd")
    ww.wp_configure("r1", "bfd", "peer 10.0.12.9 interface eth1")
    wait_until(lambda: ("10.0.12.9", False) in wp_peers(ww, "r1"),
               timeout=5, what="session for the new peer")
    ww.wp_configure("r1", "bfd", "no peer 10.0.12.9 interface eth1")
    wait_until(lambda: sorted(wp_peers(ww, "r1")) == before, timeout=5,
               what="new peer's session deleted")


def _cut_and_measure(lab, sides):
    """Cut r1's eth1; wait for every (name, fn) in SIDES to report the
    Down of both single-hop sessions; return {name: [seconds...]}."""
    t0 = time.time()
    set_link(lab, "r1", "eth1", False)
    got = {}
    try:
        for name, fn in sides:
            got[name] = wait_until(lambda: fn(t0), timeout=5,
                                   what="%s detects the cut" % name)
    finally:
        set_link(lab, "r1", "eth1", True)
    return got


def _wp_detect(lab, node, me, v6_echo=False):
    """Seconds from T0 to the Down of the IPv4 session (found by its echo
    function) and of the IPv6 one (by echo with V6_ECHO, else by the
    control packets)."""
    def fn(t0):
        out = []
        for s, why in ((V4, "echo function failed"),
                       (V6, "echo function failed" if v6_echo else
                        "control detection time expired")):
            downs = wp_downs_since(wp_peer(lab, node, me, s), t0)
            if not downs:
                return None
            assert downs[-1]["diagnostic"] == why, downs[-1]
            out.append(downs[-1]["timestamp"] - t0)
        return out
    return fn


def _assert_detected(got, v6_echo=False):
    for name, (v4, v6) in got.items():
        if v4 is not None:
            assert 0 < v4 <= ECHO_BOUND, "%s: echo after %.3fs" % (name, v4)
        bound = ECHO_BOUND if v6_echo else DETECT_BOUND
        assert 0 < v6 <= bound, "%s: IPv6 after %.3fs" % (name, v6)


def test_ww_link_cut_detected(ww):
    """A cut of the direct link: both ends detect it in time, the
    multihop session (another path) stays Up, and all recover."""
    wait_until(lambda: wp_all_up(ww, "r1", 1) and wp_all_up(ww, "r2", 2),
               timeout=20, what="all up")
    t0 = time.time()
    got = _cut_and_measure(ww, [("r1", _wp_detect(ww, "r1", 1, True)),
                                ("r2", _wp_detect(ww, "r2", 2, True))])
    sys.stdout.write("detection (s): %r\n" % got)
    _assert_detected(got, v6_echo=True)
    assert not wp_downs_since(wp_peer(ww, "r1", 1, MH), t0)
    wait_until(lambda: wp_all_up(ww, "r1", 1) and wp_all_up(ww, "r2", 2),
               timeout=15, what="sessions back up after the link returns")


def test_ww_echo(ww):
    """The single-hop sessions, IPv4 and IPv6, run the echo function both
    ways (RFC 5880 §6.4, RFC 5881 §4): each side's echo packets come back
    through the other's kernel."""
    wait_until(lambda: wp_all_up(ww, "r1", 1) and wp_all_up(ww, "r2", 2),
               timeout=20, what="all up")
    for node, me in (("r1", 1), ("r2", 2)):
        for sess in (V4, V6):
            p = wait_until(lambda: (lambda q: q["echoActive"] and
                                    q["echo"]["rttSamples"] > 5 and q)(
                                        wp_peer(ww, node, me, sess)),
                           timeout=5, what="%s: echo running on %s"
                           % (node, sess[0]))
            assert p["negotiatedEchoTransmitInterval"] == 50
            assert p["remoteEchoReceiveInterval"] == 50
            # a few in flight, or lost while the peer resolved our MAC
            assert p["echo"]["rxPackets"] >= p["echo"]["txPackets"] - 5
            assert 0 < p["echo"]["rttAvgUs"] < 50000
        # not multihop (RFC 5883 has no echo)
        assert not wp_peer(ww, node, me, MH)["echoActive"]


def test_ww_wrong_key(ww):
    """A key that does not match takes the session down, counted as a bad
    digest; the right key brings it back."""
    wait_until(lambda: wp_all_up(ww, "r1", 1), timeout=20, what="r1 up")
    set_v4_key(ww, "r2", "wp-lab-shaX")
    try:
        wait_until(lambda: wp_peer(ww, "r1", 1, V4)["state"] == "down",
                   timeout=5, what="r1's IPv4 session down")
        c = wp_peer(ww, "r1", 1, V4)["counters"]["rxErrors"]
        assert c["authBadDigest"] > 0
        assert wp_peer(ww, "r1", 1, V6)["state"] == "up"
    finally:
        set_v4_key(ww, "r2", "wp-lab-sha1")
    wait_until(lambda: wp_all_up(ww, "r1", 1), timeout=15,
               what="r1's IPv4 session back up")


class BfdClient:
    """tools/wpbfd registered on a node's bfdd.sock: the statuses bfdd
    sends it, as they arrive."""

    def __init__(self, lab, node, *peers):
        exe = waypoint_tool("wpbfd")
        if not exe:
            pytest.skip("wpbfd is not built")
        sock = os.path.join(os.path.dirname(lab.wp_socket(node, "bfdd")),
                            "bfdd.sock")
        self.proc = subprocess.Popen([exe, "-n", "testclient", sock] +
                                     list(peers), stdout=subprocess.PIPE,
                                     text=True)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.lines = []

    def statuses(self):
        while True:
            line = self.proc.stdout.readline()
            if not line:
                return self.lines
            self.lines.append(json.loads(line))

    def first(self, state, since=0):
        for st in self.statuses():
            if st["state"] == state and st["time"] >= since:
                return st
        return None

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def test_ww_client_notified(ww):
    """A client registered on bfdd.sock hears the cut, in time, and the
    recovery; bfdd lists it while it is there."""
    wait_until(lambda: wp_all_up(ww, "r1", 1), timeout=20, what="r1 up")
    cl = BfdClient(ww, "r1", "10.0.12.2,ifname=eth1")
    try:
        wait_until(lambda: cl.first("up"), timeout=5,
                   what="the client hears the session is up")
        js = ww.wp_json("r1", daemon="bfdd", cmd="show bfd clients")
        # ribd is a client too, with no session here (no route of r1's
        # has bfd).
        assert [(c["name"], c["connected"], c["sessions"])
                for c in js["clients"] if c["name"] != "ribd"] == \
            [("testclient", True, 1)]
        assert all(c["sessions"] == 0 for c in js["clients"]
                   if c["name"] == "ribd")
        assert wp_peer(ww, "r1", 1, V4)["clients"] == "testclient"
        t0 = time.time()
        set_link(ww, "r1", "eth1", False)
        try:
            down = wait_until(lambda: cl.first("down", t0), timeout=5,
                              what="the client hears the cut")
        finally:
            set_link(ww, "r1", "eth1", True)
        sys.stdout.write("client told after %.3fs\n" % (down["time"] - t0))
        # the IPv4 session runs echo: echo failure, in echo time
        assert down["time"] - t0 <= ECHO_BOUND
        assert down["diagnostic"] == 2       # echo function failed
        wait_until(lambda: cl.first("up", down["time"]), timeout=15,
                   what="the client hears the session is back")
    finally:
        cl.close()
    # gone, but remembered for the grace period
    wait_until(lambda: [c["connected"] for c in ww.wp_json(
        "r1", daemon="bfdd", cmd="show bfd clients")["clients"]
        if c["name"] == "testclient"] == [False],
        timeout=5, what="bfdd keeps the lost client for its grace period")


# --- bfdd - FRR ------------------------------------------------------------------

def test_wf_sessions_up(wf):
    wait_until(lambda: wp_all_up(wf, "r1", 1), timeout=30,
               what="r1: all sessions up")
    ps = wait_until(lambda: frr_all_up(wf), timeout=10,
                    what="FRR: all sessions up")
    for s in SESSIONS:
        ours = wp_peer(wf, "r1", 1, s)
        theirs = ps[(peer_addr(s, 2), s[1])]
        assert ours["remoteDiscriminator"] == theirs["id"]
        assert theirs["remote-id"] == ours["localDiscriminator"]
        assert theirs["remote-transmit-interval"] == 100
        assert ours["remoteTransmitInterval"] == 100


def test_wf_echo(wf):
    """Echo both ways with FRR: ours looped by FRR's kernel, FRR's by
    ours."""
    wait_until(lambda: wp_all_up(wf, "r1", 1) and frr_all_up(wf),
               timeout=30, what="all up")
    p = wait_until(lambda: (lambda q: q["echoActive"] and
                            q["echo"]["rttSamples"] > 5 and q)(
                                wp_peer(wf, "r1", 1, V4)),
                   timeout=5, what="our echo running")
    assert p["echo"]["rxPackets"] >= p["echo"]["txPackets"] - 5

    def frr_echo():
        c = wf.frr_json("f1", "show bfd peer 10.0.12.1 interface eth1 "
                        "counters json")
        return c["echo-packet-output"] > 5 and \
            c["echo-packet-input"] >= c["echo-packet-output"] - 5 and c
    wait_until(frr_echo, timeout=5, what="FRR's echo comes back")


def test_wf_poll_without_flap(wf):
    """Our side slows down through our vtysh, FRR's through its own: each poll
    sequence completes and neither side's session goes down."""
    wait_until(lambda: wp_all_up(wf, "r1", 1) and frr_all_up(wf),
               timeout=30, what="all up")
    t0 = time.time()
    downs0 = frr_down_count(wf, "10.0.12.1", False, "eth1")
    set_tx_interval(wf, "r1", 200)
    wait_until(lambda: all(p["remote-transmit-interval"] == 200
                           for p in frr_peers(wf, "f1").values()),
               timeout=5, what="FRR sees our 200 ms")
    wf.frr_configure("f1", "bfd", "profile fast", "receive-interval 250")

    def ours_follow():
        return all(wp_peer(wf, "r1", 1, s)["negotiatedTransmitInterval"] ==
                   250 and not wp_peer(wf, "r1", 1, s)["pollInProgress"]
                   for s in SESSIONS)
    wait_until(ours_follow, timeout=5, what="we transmit at FRR's 250 ms")
    for s in SESSIONS:
        p = wp_peer(wf, "r1", 1, s)
        assert p["state"] == "up" and not wp_downs_since(p, t0)
        assert p["counters"]["pollSequences"] >= 1
    assert frr_all_up(wf)
    assert frr_down_count(wf, "10.0.12.1", False, "eth1") == downs0
    assert not [x for x in frr_transitions(wf)
                if x[0] >= t0 and x[4] == "down"]
    # Back to the lab's timers, ours first: FRR 8.4 recomputes its
    # detection time only when its own poll sequence ends, so its poll
    # must come last to see our 100 ms.
    set_tx_interval(wf, "r1", 100)
    wait_until(lambda: all(p["remote-transmit-interval"] == 100
                           for p in frr_peers(wf, "f1").values()),
               timeout=5, what="FRR sees our 100 ms")
    wf.frr_configure("f1", "bfd", "profile fast", "receive-interval 100")
    wait_until(lambda: all(wp_peer(wf, "r1", 1, s)["detectTime"] == 300 and
                           wp_peer(wf, "r1", 1, s)[
                               "negotiatedTransmitInterval"] == 100 and
                           not wp_peer(wf, "r1", 1, s)["pollInProgress"]
                           for s in SESSIONS),
               timeout=5, what="back to 100 ms")


def _frr_detect(lab):
    """FRR's Down of the IPv4 and the IPv6 session, seconds after T0."""
    def fn(t0):
        want = [("10.0.12.1", False), ("fd00:12::1", False)]
        seen = {}
        for t, peer, mh, _, to in frr_transitions(lab):
            if t >= t0 - 0.01 and to == "down" and (peer, mh) in want:
                seen.setdefault((peer, mh), t - t0)
        return len(seen) == len(want) and [seen[k] for k in want]
    return fn


def test_wf_link_cut_detected(wf):
    wait_until(lambda: wp_all_up(wf, "r1", 1) and frr_all_up(wf),
               timeout=30, what="all up")
    got = _cut_and_measure(wf, [("r1", _wp_detect(wf, "r1", 1)),
                                ("f1 (FRR)", _frr_detect(wf))])
    sys.stdout.write("detection (s): %r\n" % got)
    _assert_detected(got)
    wait_until(lambda: wp_all_up(wf, "r1", 1) and frr_all_up(wf),
               timeout=15, what="sessions back up after the link returns")
