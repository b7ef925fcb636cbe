"""The guided exercises of doc/labs/, run as a learner would run them.

Each step names a command that must appear, as a line of a ``sh`` block,
in the exercise's page, runs it from the top of the tree as the page says,
and checks that the output contains the strings listed -- each of which
must also appear on the page.  A page that drifts from what the commands
really print fails here.

    sudo /usr/bin/python3 -m pytest -v tests/topo/exercises
"""

import os
import re
import subprocess

import pytest

from lablib import lab as lm
from lablib.harness import (Lab, require_frr, require_root, require_waypoint,
                            wait_until)
from lablib.system import netns_list

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
DOCS = os.path.join(REPO, "doc", "labs")


class Page:
    """One exercise page and the commands it shows."""

    def __init__(self, name, lab=None):
        self.path = os.path.join(DOCS, name)
        # The page's commands name no lab; other labs may be up on a
        # shared machine.
        self.env = dict(os.environ, WP_LEAK_CHECK="1")
        if lab:
            self.env["LABCTL_LAB"] = lab
        with open(self.path) as f:
            self.text = f.read()
        self.commands = set()
        for block in re.findall(r"^```sh\n(.*?)^```", self.text, re.S | re.M):
            self.commands.update(l.strip() for l in block.splitlines()
                                 if l.strip())

    def step(self, cmd, shows=(), status=0, timeout=15):
        """Run CMD (a command of the page) until its output shows every
        string of SHOWS (each also on the page); check its exit status
        (None: any).  Returns the output."""
        assert cmd in self.commands, \
            "%s has no command %r" % (os.path.relpath(self.path), cmd)
        for s in shows:
            assert s in self.text, \
                "%s does not show %r" % (os.path.relpath(self.path), s)
        last = {}

        def attempt():
            cp = subprocess.run(["bash", "-c", cmd], cwd=REPO, text=True,
                                capture_output=True, timeout=60,
                                env=self.env)
            last["out"] = cp.stdout + cp.stderr
            last["rc"] = cp.returncode
            return all(s in last["out"] for s in shows) and (
                status is None or cp.returncode == status)

        if not attempt():
            if shows:
                wait_until(attempt, timeout=timeout, interval=0.5,
                           what="%r shows %s" % (cmd, list(shows)))
            else:
                assert False, "%r: exit %d: %s" % (cmd, last["rc"],
                                                   last["out"])
        return last["out"]


def kernel_routes(page, cmd, lines, timeout=15):
    """Run CMD (an `ip route` of the page) until its output has every
    line of LINES (each also on the page).  The `nhid N` of a line is
    matched as any number: the kernel's nexthop object ids differ from
    run to run."""
    for line in lines:
        assert line in page.text, "%s does not show %r" % (
            os.path.relpath(page.path), line)
    pats = [re.compile(re.sub(r"nhid\\ \d+", r"nhid\\ \\d+", re.escape(l)))
            for l in lines]
    last = {}

    def ok():
        last["out"] = page.step(cmd)
        return all(p.search(last["out"]) for p in pats)

    wait_until(ok, timeout=timeout, interval=0.5,
               what="%r shows %s" % (cmd, list(lines)))
    return last["out"]


@pytest.fixture
def cleanup(request):
    """Labs named here are taken down after the test whatever happened;
    the daemons' leak reports fail it."""
    require_root()
    require_waypoint("ribd")
    topos = []
    before = request.session.testsfailed
    yield topos.append
    failed = request.session.testsfailed > before
    problems = []
    for t in topos:
        lab = Lab(os.path.join(REPO, t))
        if lm.stm.load(lab.name) is None:
            continue
        if failed:
            print(lab.diagnostics())
        try:
            lab.down()
            lab.check_shutdown()
        except Exception as e:          # noqa: BLE001 - report all
            problems.append(str(e))
    for f in ("/tmp/w1.json", "/tmp/f1.json"):
        if os.path.exists(f):
            os.unlink(f)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def _down(page, lab):
    out = page.step("tools/labctl down", shows=["lab %s is down" % lab])
    assert "memory leak" not in out, out
    assert not [n for n in netns_list() if n.startswith(lab + "-")]


def test_01_first_lab(cleanup):
    cleanup("topologies/ring")
    p = Page("01-first-lab.md", lab="ring")
    p.step("tools/labctl up topologies/ring", shows=[
        "lab ring is up",
        "r1         waypoint  ring-r1              mgmtd ribd"])
    p.step("tools/labctl graph", shows=[
        "r1  [waypoint]  netns ring-r1", "eth1 ---- r2:eth1",
        "eth2 ---- r4:eth2", "eth3 ---- h1:eth1"])
    p.step("tools/labctl exec r1 ip -br addr", shows=[
        "10.255.0.1/32", "10.0.12.1/24", "10.0.14.1/24", "10.1.1.1/24"])
    p.step('tools/labctl vtysh r1 -c "show ip route"', shows=[
               "Codes: K - kernel route, C - connected, S - static",
               "C>* 10.1.1.0/24 is directly connected, eth3",
               "S   10.3.1.0/24 [200/0] via 10.0.14.4, eth2",
               "S>* 10.3.1.0/24 [1/0] via 10.0.12.2, eth1",
               "C>* 10.255.0.1/32 is directly connected, lo",
               "S>* 10.255.0.2/32 [1/0] via 10.0.12.2, eth1"])
    kernel_routes(p, "tools/labctl exec r1 ip route", [
        "10.3.1.0/24 nhid 2 via 10.0.12.2 dev eth1 proto static metric 20",
        "10.255.0.2 nhid 2 via 10.0.12.2 dev eth1 proto static metric 20"])
    p.step("tools/labctl exec h1 ping -c 3 10.3.1.10", shows=[
        "64 bytes from 10.3.1.10: icmp_seq=1 ttl=61",
        "3 packets transmitted, 3 received, 0% packet loss"])
    p.step("tools/labctl logs r1 ribd", shows=[
        "info: configuration from mgmtd applied: 12 static routes, "
        "4 interfaces configured"])
    _down(p, "ring")


def _rr(out):
    m = re.search(r"RR:\s+(.*?)\n\n", out, re.S)
    return m.group(1).split() if m else []


def test_02_floating_static(cleanup):
    cleanup("topologies/ring")
    p = Page("02-floating-static.md", lab="ring")
    r1 = 'tools/labctl vtysh r1 -c "show ip route"'
    r2 = 'tools/labctl vtysh r2 -c "show ip route"'
    p.step("tools/labctl up topologies/ring", shows=["lab ring is up"])
    p.step("grep 10.3.1.0 topologies/ring/r1/waypoint.conf", shows=[
        "ip route 10.3.1.0/24 10.0.12.2\n",
        "ip route 10.3.1.0/24 10.0.14.4 200\n"])
    p.step(r1, shows=["S>* 10.3.1.0/24 [1/0] via 10.0.12.2, eth1",
                      "S   10.3.1.0/24 [200/0] via 10.0.14.4, eth2"])
    out = p.step("tools/labctl exec h1 ping -c 1 -R 10.3.1.10")
    rr = ["10.1.1.10", "10.0.12.1", "10.0.23.2", "10.3.1.1", "10.3.1.10",
          "10.3.1.10", "10.0.34.3", "10.0.14.4", "10.1.1.1"]
    assert _rr(out) == rr, out
    assert "RR: \t" + "\n\t".join(rr) in p.text

    # 3. cut r1-r2
    p.step("tools/labctl exec r1 ip link set eth1 down")
    p.step(r1, shows=["S>* 10.3.1.0/24 [200/0] via 10.0.14.4, eth2",
                      "S   10.3.1.0/24 [1/0] via 10.0.12.2 inactive"])
    kernel_routes(p, "tools/labctl exec r1 ip route", [
        "10.3.1.0/24 nhid 1 via 10.0.14.4 dev eth2 proto static metric 20"])
    p.step(r2, shows=["S>* 10.1.1.0/24 [200/0] via 10.0.23.3, eth2"])
    out = p.step("tools/labctl exec h1 ping -c 1 -R 10.3.1.10",
                 shows=["RR: \t10.1.1.10\n\t10.0.14.1\n\t10.0.34.4\n"
                        "\t10.3.1.1\n"])
    # both ways through r4 now
    assert _rr(out)[5:] == ["10.3.1.10", "10.0.34.3", "10.0.14.4",
                            "10.1.1.1"], out

    # 4. repair
    p.step("tools/labctl exec r1 ip link set eth1 up")
    p.step(r1, shows=["S>* 10.3.1.0/24 [1/0] via 10.0.12.2, eth1"])

    # 5. the cut that loops
    p.step("tools/labctl exec r2 ip link set eth2 down")
    p.step("tools/labctl exec h1 ping -c 1 10.3.1.10", status=1,
           shows=["From 10.0.12.2 icmp_seq=1 Time to live exceeded"])
    p.step("tools/labctl exec r2 ip link set eth2 up")
    wait_ping()

    # the answer to "your turn": r3-r4 survives, r1-r4 does not
    p.step("tools/labctl exec r3 ip link set eth2 down")
    p.step("tools/labctl exec h1 ping -c 1 10.3.1.10",
           shows=["1 packets transmitted, 1 received, 0% packet loss"])
    p.step("tools/labctl exec r3 ip link set eth2 up")
    wait_ping()
    p.step("tools/labctl exec r4 ip link set eth2 down")
    p.step("tools/labctl exec h2 ping -c 1 10.1.1.10", status=1,
           shows=["From 10.0.34.4 icmp_seq=1 Time to live exceeded"])
    p.step("tools/labctl exec r4 ip link set eth2 up")
    wait_ping()
    _down(p, "ring")


def _ping(src="h1", dst="10.3.1.10"):
    cp = subprocess.run(["ip", "netns", "exec", "ring-" + src, "ping", "-n",
                         "-c", "1", "-W", "1", dst],
                        capture_output=True, text=True)
    return cp.stdout + cp.stderr


def wait_ping():
    wait_until(lambda: " 0% packet loss" in _ping(), timeout=15,
               what="h1 reaches h2")


def test_03_waypoint_and_frr(cleanup):
    require_frr()
    cleanup("topologies/mixed")
    p = Page("03-waypoint-and-frr.md", lab="mixed")
    w1 = 'tools/labctl vtysh w1 -c "show ip route"'
    p.step("tools/labctl up topologies/mixed", shows=[
        "lab mixed is up",
        "w1         waypoint  mixed-w1             mgmtd ribd",
        "f1         frr       mixed-f1             zebra staticd"])
    p.step("tools/labctl exec h1 ping -c 3 10.2.0.10", shows=[
        "3 packets transmitted, 3 received, 0% packet loss"])
    p.step(w1, shows=["C>* 10.0.12.0/24 is directly connected, eth1",
                      "S>* 10.2.0.0/24 [1/0] via 10.0.12.2, eth1",
                      "S>* 10.255.0.2/32 [1/0] via 10.0.12.2, eth1"])
    p.step('tools/labctl vtysh f1 -c "show ip route"', shows=[
        "S>* 10.1.0.0/24 [1/0] via 10.0.12.1, eth1, weight 1",
        "S>* 10.255.0.1/32 [1/0] via 10.0.12.1, eth1, weight 1"])
    p.step('tools/labctl vtysh w1 -c "show ip route json" > /tmp/w1.json')
    p.step('tools/labctl vtysh f1 -c "show ip route json" > /tmp/f1.json')
    cmd = [c for c in p.commands if c.startswith("python3 -c")]
    assert len(cmd) == 1
    out = p.step(cmd[0])
    for line in out.splitlines():
        assert line in p.text, "the page does not show %r" % line
    assert out.startswith("both: ['destSelected', 'distance'")
    kernel_routes(p, "tools/labctl exec w1 ip route", [
        "10.2.0.0/24 nhid 1 via 10.0.12.2 dev eth1 proto static metric 20",
        "10.255.0.2 nhid 1 via 10.0.12.2 dev eth1 proto static metric 20"])
    kernel_routes(p, "tools/labctl exec f1 ip route", [
        "10.1.0.0/24 nhid 8 via 10.0.12.1 dev eth1 proto static metric 20",
        "10.255.0.1 nhid 8 via 10.0.12.1 dev eth1 proto static metric 20"])
    p.step("tools/labctl exec f1 ip link set eth1 down")
    p.step(w1, shows=["S   10.2.0.0/24 [1/0] via 10.0.12.2 inactive"])
    p.step('tools/labctl vtysh f1 -c "show ip nht"', shows=[
        "10.0.12.1\n unresolved\n Client list: static"])
    out = p.step('tools/labctl vtysh f1 -c "show ip route"')
    assert "10.1.0.0/24" not in out, out
    p.step("tools/labctl exec f1 ip link set eth1 up")
    p.step("tools/labctl exec h1 ping -c 3 10.2.0.10", timeout=20,
           shows=["3 packets transmitted, 3 received, 0% packet loss"])
    _down(p, "mixed")


def test_04_ospf_reconverges(cleanup):
    cleanup("topologies/demo")
    p = Page("04-ospf-reconverges.md", lab="demo")
    r1 = 'tools/labctl vtysh r1 -c "show ip route"'
    p.step("tools/labctl up topologies/demo", shows=["lab demo is up"])
    p.step('tools/labctl vtysh r1 -c "show ip ospf neighbor"', timeout=30,
           shows=["10.255.0.2     1  Full/-", "10.255.0.4     1  Full/-",
                  "10.0.12.2  eth1", "10.0.14.4  eth2"])
    p.step(r1, timeout=30, shows=[
        "O>* 10.3.1.0/24 [110/30] via 10.0.12.2, eth1",
        "  *                      via 10.0.14.4, eth2",
        "O>* 10.255.0.2/32 [110/10] via 10.0.12.2, eth1",
        "O>* 10.255.0.3/32 [110/20] via 10.0.12.2, eth1",
        "  *                        via 10.0.14.4, eth2"])
    p.step("tools/labctl exec r2 ip link set eth2 down")
    out = p.step(r1, shows=["O>* 10.3.1.0/24 [110/30] via 10.0.14.4, eth2"])
    assert "via 10.0.12.2, eth1" not in out.split("10.3.1.0/24", 1)[1] \
        .split("\n10.", 1)[0].split("\nO", 1)[0], out
    p.step("tools/labctl exec h1 ping -c 1 10.3.1.10",
           shows=["1 packets transmitted, 1 received, 0% packet loss"])
    p.step('tools/labctl vtysh r1 -c "show ip ospf route changes"',
           shows=["(router-LSA)", "change 10.3.1.0/24"])
    p.step("tools/labctl exec r2 ip link set eth2 up")
    p.step(r1, timeout=30, shows=[
        "O>* 10.3.1.0/24 [110/30] via 10.0.12.2, eth1",
        "  *                      via 10.0.14.4, eth2"])

    # 6. the silent failure, seen by BFD
    p.step('tools/labctl vtysh r2 -c "show bfd peers brief"', timeout=30,
           shows=["10.0.12.1  10.0.12.2  eth1       no        default  up",
                  "10.0.23.3  10.0.23.2  eth2       no        default  up"])
    p.step("tools/labctl exec r2 nft add table ip cut")
    p.step("tools/labctl exec r2 nft 'add chain ip cut in { type filter "
           "hook input priority 0 ; }'")
    p.step("tools/labctl exec r2 nft add rule ip cut in iifname eth2 drop")
    p.step("tools/labctl logs r2 ospfd", timeout=3, shows=[
        "info: neighbor 10.255.0.3 on eth2: BFD down (diagnostic 1): "
        "adjacency torn down"])
    p.step("tools/labctl exec r2 nft delete table ip cut")
    p.step('tools/labctl vtysh r2 -c "show ip ospf neighbor"', timeout=30,
           shows=["10.255.0.3     1  Full/-"])
    _down(p, "demo")
