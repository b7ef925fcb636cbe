"""tools/container-entrypoint without a container engine: run in a network
namespace with a private /run/waypoint (as a container has), it waits for
the links containerlab announces in CLAB_INTFS, starts the daemons of the
node's config, reloads ribd for a link attached later, and stops them on
SIGTERM with no leak.

    sudo /usr/bin/python3 -m pytest -v tests/topo/container
"""

import os
import re
import secrets
import signal
import subprocess

import pytest

from lablib.harness import require_root, require_waypoint, wait_until
from lablib.roles import waypoint_bindir
from lablib.system import ip, netns_del, netns_pids, kill_pids, link_exists

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
ENTRYPOINT = os.path.join(REPO, "tools", "container-entrypoint")

CONF = """\
hostname c1
!
interface eth1
 ip address 10.9.1.1/24
!
interface eth2
 ip address 10.9.2.1/24
!
interface eth3
 ip address 10.9.3.1/24
!
ip route 10.99.0.0/16 10.9.1.2
!
router ospf
 network 10.9.0.0/16 area 0
!
"""


class Container:
    """A namespace standing in for a container; the entrypoint as its
    first process, in a mount namespace with /run/waypoint private."""

    def __init__(self, tmp_path):
        self.ns = "cep-" + secrets.token_hex(3)
        self.tmp = tmp_path
        self.links = []
        self.proc = None
        self.out = tmp_path / "out"
        self.logdir = tmp_path / "log"
        (tmp_path / "waypoint.conf").write_text(CONF)
        ip("netns", "add", self.ns)
        ip("link", "set", "lo", "up", netns=self.ns)

    def start(self, *args, clab_intfs=2):
        find = waypoint_bindir()
        bindir = os.path.dirname(os.path.dirname(os.path.dirname(
            find("ribd"))))
        env = dict(os.environ, CLAB_INTFS=str(clab_intfs),
                   WAYPOINT_CONF=str(self.tmp / "waypoint.conf"),
                   WAYPOINT_LOGDIR=str(self.logdir), WAYPOINT_BINDIR=bindir,
                   WP_LEAK_CHECK="1",
                   WP_YANG_PATH=os.path.join(REPO, "yang"))
        # ip netns exec, unshare and sh all exec: proc.pid is the entrypoint
        argv = ["ip", "netns", "exec", self.ns, "unshare", "--mount",
                "--propagation", "private", "sh", "-c",
                'mount -t tmpfs waypoint /run/waypoint && exec "$@"', "sh",
                ENTRYPOINT] + list(args)
        self.proc = subprocess.Popen(argv, stdout=open(self.out, "w"),
                                     stderr=subprocess.STDOUT, env=env)

    def output(self):
        return self.out.read_text()

    def attach(self, ifname):
        """A link arrives as containerlab attaches one: made outside,
        moved in, renamed, set up."""
        tag = "wl" + secrets.token_hex(4)
        ip("link", "add", tag + "a", "type", "veth", "peer", "name",
           tag + "b")
        self.links.append(tag + "b")
        ip("link", "set", tag + "a", "netns", self.ns)
        ip("link", "set", tag + "a", "name", ifname, netns=self.ns)
        ip("link", "set", ifname, "up", netns=self.ns)
        ip("link", "set", tag + "b", "up")

    def addrs(self):
        out = ip("-br", "-4", "addr", netns=self.ns).stdout
        return set(re.findall(r"(\d+\.\d+\.\d+\.\d+/\d+)", out))

    def routes(self):
        return ip("route", netns=self.ns).stdout

    def ribd_pid(self):
        m = re.search(r"ribd started \(pid (\d+)\)", self.output())
        return int(m.group(1)) if m else None

    def cleanup(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        kill_pids(netns_pids(self.ns))
        netns_del(self.ns)
        for l in self.links:
            if link_exists(l):
                ip("link", "del", l, check=False)


@pytest.fixture
def container(tmp_path):
    require_root()
    require_waypoint("ribd")
    c = Container(tmp_path)
    try:
        yield c
    finally:
        c.cleanup()


def test_waits_for_links_starts_and_stops(container):
    c = container
    c.start(clab_intfs=2)
    c.attach("eth1")
    # A negative: nothing may start with one link of two.  The entrypoint
    # says when it has seen that link and goes on waiting.
    wait_until(lambda: "1 of 2 links attached, waiting" in c.output(),
               timeout=15, what="the entrypoint saw one link of two")
    assert c.ribd_pid() is None, c.output()
    c.attach("eth2")
    wait_until(c.ribd_pid, timeout=15, what="ribd started")
    out = c.output()
    assert "waypoint: 2 links attached" in out
    assert "mgmtd is not part of this build yet" in out or \
        "mgmtd started" in out
    assert "ospfd is not part of this build yet" in out or \
        "ospfd started" in out
    wait_until(lambda: {"10.9.1.1/24", "10.9.2.1/24"} <= c.addrs(),
               timeout=10, what="ribd applied the interface addresses")
    # with kernel nexthop objects `ip route` prints "nhid N" before "via"
    static = re.compile(r"^10\.99\.0\.0/16 (nhid \d+ )?via 10\.9\.1\.2 "
                        r"dev eth1 proto (static|196)", re.M)
    wait_until(lambda: static.search(c.routes()), timeout=10,
               what="static route installed")
    fwd = subprocess.run(["ip", "netns", "exec", c.ns, "cat",
                          "/proc/sys/net/ipv4/ip_forward"],
                         capture_output=True, text=True).stdout.strip()
    assert fwd == "1"

    # a link containerlab attaches late gets its configuration too
    c.attach("eth3")
    wait_until(lambda: "10.9.3.1/24" in c.addrs(), timeout=10,
               what="late link eth3 configured")

    pid = c.ribd_pid()
    c.proc.send_signal(signal.SIGTERM)
    assert c.proc.wait(timeout=20) == 0
    assert not os.path.exists("/proc/%d" % pid) or \
        open("/proc/%d/stat" % pid).read().split()[2] == "Z"
    assert "waypoint: stopping" in c.output()
    log = (c.logdir / "ribd.log").read_text()
    assert "ribd stopping" in log
    assert "memory leak:" not in log, log


def test_command_runs_instead(container):
    """With a command, the entrypoint runs it and starts nothing."""
    c = container
    c.start("sh", "-c", 'echo "shell: $0"', "hello")
    assert c.proc.wait(timeout=10) == 0
    assert c.output().strip() == "shell: hello"


def test_no_config(container):
    c = container
    (c.tmp / "waypoint.conf").unlink()
    c.start(clab_intfs=0)
    wait_until(c.ribd_pid, timeout=15, what="ribd started without config")
    assert "no configuration at" in c.output()
    c.proc.send_signal(signal.SIGTERM)
    assert c.proc.wait(timeout=20) == 0
