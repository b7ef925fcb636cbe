"""The pytest side of labs: bring a topology up, look at its state, wait.

Typical test::

    from lablib.harness import Lab, wait_until, require_root, require_frr

    def test_ospf(tmp_path):
        require_root()
        require_frr("ospfd")
        with Lab("tests/topo/x/topologies/pair") as lab:
            wait_until(lambda: lab.has_route("r1", "10.255.0.2/32"),
                       timeout=30, what="r1 learns r2's loopback")

``Lab`` always takes the lab down on leaving the ``with`` block (or in
the fixture finalizer, see ``tests/topo/conftest.py``), also when the test
failed or bring-up itself failed half-way.

Waiting is always :func:`wait_until` with a deadline: it polls a condition
and fails with the last value it saw, never a bare ``sleep``.
"""

import glob
import json as _json
import os
import shlex
import shutil
import subprocess
import time

from . import lab as lm
from . import topology as tpm
from .system import LabError


class WaitTimeout(AssertionError):
    """wait_until's deadline passed; the message has the last value seen."""


def wait_until(fn, timeout=30.0, interval=0.25, what=None):
    """Poll FN until it returns a true value; return that value.

    Exceptions from FN count as "not yet" (the last one is reported).
    After TIMEOUT seconds raises WaitTimeout naming WHAT and the last
    value or exception.
    """
    deadline = time.monotonic() + timeout
    last, last_exc = None, None
    while True:
        try:
            last = fn()
            last_exc = None
            if last:
                return last
        except Exception as e:          # noqa: BLE001 - reported below
            last_exc = e
        if time.monotonic() >= deadline:
            break
        time.sleep(interval)
    desc = what or getattr(fn, "__name__", "condition")
    if last_exc is not None:
        raise WaitTimeout("%s: not true after %.0fs; last error: %s: %s"
                          % (desc, timeout, type(last_exc).__name__, last_exc))
    raise WaitTimeout("%s: not true after %.0fs; last value: %r"
                      % (desc, timeout, last))


# --- skipping -----------------------------------------------------------------

def _skip(reason):
    import pytest
    pytest.skip(reason)


def require_root():
    """Skip the test unless running as root."""
    if os.geteuid() != 0:
        _skip("needs root (creates network namespaces)")


def require_binaries(*names):
    """Skip unless every program in NAMES is found (PATH or absolute)."""
    for n in names:
        if not (shutil.which(n) or (os.path.isabs(n) and os.access(n, os.X_OK))):
            _skip("needs %s, which is not installed" % n)


def require_frr(*daemons):
    """Skip unless FRR's vtysh, zebra, staticd and DAEMONS are installed."""
    from .roles import FRR_SBIN
    require_binaries("vtysh")
    for d in ("zebra", "staticd") + daemons:
        if not os.access(os.path.join(FRR_SBIN, d), os.X_OK):
            _skip("needs FRR %s (apt-get install frr)" % d)


def require_bird():
    """Skip unless BIRD 2 (bird, birdc) is installed."""
    for b in ("bird", "birdc"):
        if not shutil.which(b):
            _skip("needs %s (apt-get install bird2)" % b)


def build_tool(name):
    """tools/NAME/NAME from a build tree, or None."""
    repo = os.path.normpath(os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..", ".."))
    for c in sorted(glob.glob(os.path.join(repo, "build*", "tools", name,
                                           name))):
        if os.access(c, os.X_OK):
            return c
    return None


def wpvty_path():
    """tools/wpvty from a build tree, or None."""
    return build_tool("wpvty")


# --- the lab ------------------------------------------------------------------

class Lab:
    """A topology brought up for a test.

    ``Lab(path)`` only reads the topology (errors raise TopologyError);
    ``up()`` / ``down()`` or ``with Lab(path) as lab:`` run it.  Attributes:
    ``topo`` (:class:`lablib.topology.Topology`), ``name``, ``state``.
    """

    def __init__(self, topology, timeout=90):
        self.topo = tpm.load(topology)
        self.name = self.topo.name
        self.timeout = timeout
        self.state = None
        self.warnings = []

    # lifecycle
    def up(self):
        self.state = lm.up(self.topo, timeout=self.timeout,
                           warn=self.warnings.append)
        return self

    def down(self):
        """Take the lab down if it is up (safe to call twice)."""
        if lm.stm.load(self.name) is not None:
            lm.down(self.name)
        self.state = None

    def __enter__(self):
        return self.up()

    def __exit__(self, *exc):
        self.down()
        return False

    # commands
    def netns(self, node):
        if node not in self.topo.nodes:
            raise LabError("lab %s has no node %r" % (self.name, node))
        return self.topo.netns(node)

    def run(self, node, cmd, check=False, timeout=30, input=None):
        """Run CMD (a string, split like a shell would, or a list) in NODE's
        namespace; return the CompletedProcess (text)."""
        argv = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
        full = ["ip", "netns", "exec", self.netns(node)] + argv
        cp = subprocess.run(full, capture_output=True, text=True,
                            timeout=timeout, input=input)
        if check and cp.returncode != 0:
            raise LabError("%s: %s: exit %d: %s"
                           % (node, " ".join(argv), cp.returncode,
                              (cp.stderr or cp.stdout).strip()))
        return cp

    def exec(self, node, cmd, timeout=30):
        """Run CMD in NODE; return its stdout; raise LabError on failure."""
        return self.run(node, cmd, check=True, timeout=timeout).stdout

    def json(self, node, cmd, timeout=30):
        """Run CMD in NODE and parse its stdout as JSON."""
        return _json.loads(self.exec(node, cmd, timeout=timeout))

    def ping(self, node, addr, count=1, wait=1):
        """True if NODE gets an answer from ADDR."""
        fam = "-6" if ":" in addr else "-4"
        return self.run(node, ["ping", fam, "-n", "-c", str(count), "-W",
                               str(wait), addr]).returncode == 0

    # routing state
    def kernel_routes(self, node, family=4, table="main"):
        """NODE's kernel routes (``ip -j -FAMILY route show table T``),
        as a list of dicts (``dst``, ``gateway``, ``dev``, ``protocol``...).
        """
        return self.json(node, ["ip", "-j", "-%d" % family, "route", "show",
                                "table", str(table)])

    def route(self, node, prefix, family=None, table="main"):
        """The kernel route of NODE for exactly PREFIX (``10.0.0.1/32`` or
        ``10.0.0.1``), or None."""
        family = family or (6 if ":" in prefix else 4)
        want = {prefix, prefix.split("/")[0]} if prefix.endswith(
            "/32") or prefix.endswith("/128") else {prefix}
        for r in self.kernel_routes(node, family, table):
            if r.get("dst") in want:
                return r
        return None

    def has_route(self, node, prefix, via=None, protocol=None):
        """True if NODE's FIB has PREFIX (via gateway VIA, from PROTOCOL)."""
        r = self.route(node, prefix)
        if r is None:
            return False
        if via and r.get("gateway") != via and not any(
                n.get("gateway") == via for n in r.get("nexthops", [])):
            return False
        if protocol and r.get("protocol") != protocol:
            return False
        return True

    def _node_state(self, node, role):
        st = lm.stm.load(self.name)
        if st is None:
            raise LabError("lab %s is not up" % self.name)
        nst = lm.node_state(st, node)
        if nst["role"] != role:
            raise LabError("node %s is a %s node, not %s"
                           % (node, nst["role"], role))
        return nst

    def frr_cmd(self, node, cmd):
        """Output of one FRR vtysh command on NODE."""
        nst = self._node_state(node, "frr")
        return self.exec(node, ["vtysh", "--vty_socket", nst["dir"], "-c",
                                cmd])

    def frr_json(self, node, cmd):
        """An FRR show command's JSON (``json`` is appended if missing)."""
        if not cmd.rstrip().endswith(" json"):
            cmd = cmd.rstrip() + " json"
        return _json.loads(self.frr_cmd(node, cmd))

    def wp_cmd(self, node, cmd, daemon="ribd"):
        """Output of one command on a Waypoint daemon's vty socket on NODE
        (through tools/wpvty until vtysh exists); raises LabError on a
        non-zero status."""
        nst = self._node_state(node, "waypoint")
        sock = os.path.join(nst["sockets"]["dir"], daemon + ".vty")
        tool = wpvty_path()
        if tool is None:
            raise LabError("tools/wpvty is not built")
        cp = subprocess.run([tool, sock, cmd], capture_output=True,
                            text=True, timeout=30)
        if cp.returncode != 0:
            raise LabError("%s %s: %r: status %d: %s"
                           % (node, daemon, cmd, cp.returncode,
                              (cp.stdout + cp.stderr).strip()))
        return cp.stdout

    def wp_cfg(self, node, *steps):
        """Run tools/wpcfg STEPS (one configuration session with NODE's
        mgmtd: ``"load FILE"``, ``"edit merge XPATH VALUE"``, ``"commit"``,
        ...); returns the CompletedProcess (returncode 0: every step done,
        1: one failed, its message on stderr)."""
        nst = self._node_state(node, "waypoint")
        tool = build_tool("wpcfg")
        if tool is None:
            raise LabError("tools/wpcfg is not built")
        return subprocess.run([tool, "--rundir",
                               os.path.dirname(nst["sockets"]["dir"]),
                               "-N", nst["pathspace"]] + list(steps),
                              capture_output=True, text=True, timeout=60)

    def wp_json(self, node, cmd, daemon="ribd"):
        """A Waypoint show command's JSON (``json`` appended if missing)."""
        if not cmd.rstrip().endswith(" json"):
            cmd = cmd.rstrip() + " json"
        return _json.loads(self.wp_cmd(node, cmd, daemon))

    def bird_cmd(self, node, cmd):
        """Output of one birdc command on NODE."""
        nst = self._node_state(node, "bird")
        return self.exec(node, ["birdc", "-s", nst["sockets"]["bird"], cmd])

    def logs(self, node=None):
        """All logs of NODE (every node if None) as one string, for
        failure reports."""
        st = lm.stm.load(self.name)
        if st is None:
            return ""
        out = []
        for n in ([node] if node else list(st["nodes"])):
            for label, path in lm.log_files(st, n):
                try:
                    with open(path, errors="replace") as f:
                        text = f.read()[-4000:]
                except OSError:
                    continue
                out.append("==> %s %s <==\n%s" % (n, label, text))
        return "\n".join(out)


def module_lab(topology):
    """Body of a module-scoped fixture: ``yield from module_lab(TOPO)``
    yields the lab up, prints its logs if the module's setup or teardown
    fails, and takes it down at the end."""
    lab = Lab(topology)
    lab.up()
    try:
        yield lab
    except BaseException:
        print(lab.logs())
        raise
    finally:
        lab.down()
