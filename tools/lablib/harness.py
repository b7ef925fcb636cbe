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
the fixture finalizer, see :mod:`lablib.fixtures`), also when the test
failed or bring-up itself failed half-way.

Waiting is always :func:`wait_until` with a deadline: it polls a condition
and fails with the last value it saw, never a bare ``sleep``.

What a test also gets for free:

* Waypoint daemons run with ``WP_LEAK_CHECK=1``; ``down()`` stops them with
  SIGTERM and returns what they reported about their own shutdown
  (``memory leak:`` lines, a daemon that would not stop), and the fixtures
  and the ``with`` block fail the test on any of it;
* :meth:`Lab.diagnostics` (printed by the fixtures when a test failed): each
  router's ``show`` outputs, each node's addresses and kernel routes, and
  every log;
* :meth:`Lab.wait_json` / :func:`lablib.jsoncmp.json_cmp`: compare a show
  command's JSON with an expected document or file, where the expected
  side is a subset and volatile values are wildcards.
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
from .jsoncmp import VOLATILE_KEYS, assert_json, json_cmp, load_expected
from .system import LabError


# json_cmp and friends are re-exported: tests import them from here.
__all__ = ["Lab", "WaitTimeout", "wait_until", "frr_log_events",
           "require_root",
           "require_binaries", "require_frr", "require_bird",
           "require_waypoint", "wpvty_path", "json_cmp", "assert_json",
           "load_expected", "VOLATILE_KEYS"]


def frr_log_events(path, pattern):
    """[(epoch, match)] for the lines of the FRR log file PATH (written
    with ``log timestamp precision 6``) whose text after the timestamp
    matches the compiled regex PATTERN (``search``); [] while the file
    does not exist."""
    out = []
    try:
        with open(path) as f:
            lines = f.readlines()
    except OSError:
        return out
    for line in lines:
        parts = line.split(" ", 2)
        if len(parts) < 3 or "." not in parts[1]:
            continue
        m = pattern.search(parts[2])
        if not m:
            continue
        hms, frac = parts[1].split(".", 1)
        try:
            t = time.mktime(time.strptime(parts[0] + " " + hms,
                                          "%Y/%m/%d %H:%M:%S"))
        except ValueError:
            continue
        out.append((t + float("0." + frac), m))
    return out


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


def require_waypoint(*daemons):
    """Skip unless the Waypoint DAEMONS (default: ribd) are built."""
    from .roles import waypoint_bindir
    find = waypoint_bindir()
    for d in daemons or ("ribd",):
        if find is None or not find(d):
            _skip("needs Waypoint's %s, which is not built (tools/bootstrap)"
                  % d)


def require_bird():
    """Skip unless BIRD 2 (bird, birdc) is installed."""
    for b in ("bird", "birdc"):
        if not shutil.which(b):
            _skip("needs %s (apt-get install bird2)" % b)


_KERNEL_FEATURES = {}


def kernel_has(feature):
    """Whether this kernel can create a link of kind FEATURE ("vrf"),
    probed once in a throwaway namespace (the module loads on demand)."""
    if feature not in _KERNEL_FEATURES:
        ns = "wp-probe-%d" % os.getpid()
        ok = False
        if subprocess.run(["ip", "netns", "add", ns],
                          capture_output=True).returncode == 0:
            args = {"vrf": ["type", "vrf", "table", "1"]}.get(
                feature, ["type", feature])
            ok = subprocess.run(["ip", "-n", ns, "link", "add", "probe0"]
                                + args, capture_output=True).returncode == 0
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        _KERNEL_FEATURES[feature] = ok
    return _KERNEL_FEATURES[feature]


def require_kernel(*features):
    """Skip unless the kernel has every link kind in FEATURES.  Tests that
    call this also carry ``@pytest.mark.fullkernel``: `tools/run-tests vm`
    runs exactly those on Debian's stock kernel in a guest (tools/vmrun)."""
    require_root()
    for f in features:
        if not kernel_has(f):
            _skip("this kernel has no '%s' device (Unknown device type); "
                  "`tools/run-tests vm` runs this test in a guest with "
                  "Debian's kernel" % f)


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

    def __init__(self, topology, timeout=90, leak_check=True):
        self.topo = tpm.load(topology)
        self.name = self.topo.name
        self.timeout = timeout
        self.leak_check = leak_check
        self.state = None
        self.warnings = []
        self.shutdown_report = []

    # lifecycle
    def up(self):
        env = {"WP_LEAK_CHECK": "1"} if self.leak_check else None
        self.state = lm.up(self.topo, timeout=self.timeout,
                           warn=self.warnings.append, daemon_env=env)
        return self

    def down(self):
        """Take the lab down if it is up (safe to call twice).

        Returns the Waypoint daemons' shutdown findings (see
        :func:`lablib.lab.shutdown_findings`), also kept in
        ``shutdown_report``: a non-empty list means a daemon leaked memory
        or would not stop on SIGTERM.
        """
        report = []
        if lm.stm.load(self.name) is not None:
            lm.down(self.name, report=report)
        self.state = None
        self.shutdown_report += report
        return report

    def check_shutdown(self):
        """Raise AssertionError if a daemon reported a problem at down."""
        if self.leak_check and self.shutdown_report:
            raise AssertionError("lab %s: daemons reported at shutdown:\n  %s"
                                 % (self.name,
                                    "\n  ".join(self.shutdown_report)))

    def __enter__(self):
        return self.up()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and exc_type is not KeyboardInterrupt:
            print(self.diagnostics())
        self.down()
        if exc_type is None:
            self.check_shutdown()
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
        cp = self.run(node, ["ping", fam, "-n", "-c", str(count), "-W",
                             str(wait), addr])
        if cp.returncode != 0 and "No buffer space available" in cp.stderr:
            # ENOBUFS from sendmsg: no neighbour entry could be made.  The
            # kernel's neighbour table is one for all namespaces.
            raise LabError("%s: ping %s: no buffer space: the kernel's "
                           "neighbour table may be full (gc_thresh3, shared "
                           "by every namespace on the machine)" % (node, addr))
        return cp.returncode == 0

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
        if prefix in ("0.0.0.0/0", "::/0"):
            want.add("default")         # as iproute2 prints it
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

    def frr_cmd(self, node, cmd, timeout=30):
        """Output of one FRR vtysh command on NODE."""
        nst = self._node_state(node, "frr")
        return self.exec(node, ["vtysh", "--vty_socket", nst["dir"], "-c",
                                cmd], timeout=timeout)

    def frr_json(self, node, cmd):
        """An FRR show command's JSON (``json`` is appended if missing)."""
        if not cmd.rstrip().endswith(" json"):
            cmd = cmd.rstrip() + " json"
        return _json.loads(self.frr_cmd(node, cmd))

    def frr_ospf_neighbors(self, node):
        """{(router ID, interface): state} of FRR node NODE's OSPF
        neighbours (``Full/DR``, ...), from ``show ip ospf neighbor``."""
        out = {}
        for rid, lst in self.frr_json(node, "show ip ospf neighbor")[
                "neighbors"].items():
            for n in lst:
                out[(rid, n["ifaceName"].split(":")[0])] = n["state"]
        return out

    def wp_cmd(self, node, cmd, daemon="ribd", timeout=30, check=True,
               raw=False):
        """Output of one command on a Waypoint daemon's vty socket on NODE
        (through tools/wpvty until vtysh exists); with CHECK, raises
        LabError on a non-zero status.  RAW: the CompletedProcess (its
        returncode is the vty status, 5 if the daemon did not answer)."""
        nst = self._node_state(node, "waypoint")
        if "dir" not in nst.get("sockets", {}):
            raise LabError("node %s runs no Waypoint daemons" % node)
        sock = os.path.join(nst["sockets"]["dir"], daemon + ".vty")
        from .roles import waypoint_tool
        tool = waypoint_tool("wpvty") or wpvty_path()
        if tool is None:
            raise LabError("tools/wpvty is not built")
        cp = subprocess.run([tool, sock, cmd], capture_output=True,
                            text=True, timeout=timeout)
        if raw:
            return cp
        if check and cp.returncode != 0:
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

    def wp_configure(self, node, *lines, check=True):
        """Apply configuration LINES on Waypoint node NODE as a user
        would: Waypoint's vtysh, ``configure terminal``, each line one
        ``-c``, then ``end`` (which commits).  Returns the
        CompletedProcess; with CHECK, raises LabError if vtysh refused
        (its message names the line)."""
        from .roles import waypoint_vtysh
        nst = self._node_state(node, "waypoint")
        vt = waypoint_vtysh()
        if vt is None:
            raise LabError("waypoint vtysh is not built")
        argv = [vt, "--pathspace", nst["pathspace"], "-c",
                "configure terminal"]
        for line in list(lines) + ["end"]:
            argv += ["-c", line]
        cp = subprocess.run(argv, capture_output=True, text=True,
                            timeout=60)
        if check and cp.returncode != 0:
            raise LabError("%s: vtysh %r: status %d: %s"
                           % (node, lines, cp.returncode,
                              (cp.stdout + cp.stderr).strip()))
        return cp

    def wp_json(self, node, cmd, daemon="ribd"):
        """A Waypoint show command's JSON (``json`` appended if missing)."""
        if not cmd.rstrip().endswith(" json"):
            cmd = cmd.rstrip() + " json"
        return _json.loads(self.wp_cmd(node, cmd, daemon))


    def frr_configure(self, node, *lines):
        """Apply configuration LINES on FRR node NODE, from ``configure
        terminal`` (each line one vtysh ``-c``)."""
        nst = self._node_state(node, "frr")
        argv = ["vtysh", "--vty_socket", nst["dir"], "-c", "configure terminal"]
        for line in lines:
            argv += ["-c", line]
        return self.exec(node, argv)

    def frr_dir(self, node):
        """The FRR node's run directory (sockets, logs), owned by frr."""
        return self._node_state(node, "frr")["dir"]

    def bird_cmd(self, node, cmd, timeout=30):
        """Output of one birdc command on NODE."""
        nst = self._node_state(node, "bird")
        return self.exec(node, ["birdc", "-s", nst["sockets"]["bird"], cmd],
                         timeout=timeout)

    def show_json(self, node, cmd):
        """A show command's JSON from NODE's routing suite: ribd on a
        Waypoint node, vtysh on an FRR node (``json`` appended)."""
        role = self._role(node)
        if role == "waypoint":
            return self.wp_json(node, cmd)
        if role == "frr":
            return self.frr_json(node, cmd)
        raise LabError("node %s (%s) has no JSON show commands" % (node, role))

    def wait_json(self, node, cmd, expected, timeout=30, **cmp_kw):
        """Poll ``show_json(NODE, CMD)`` until it matches EXPECTED (a
        document or the path of a ``.json`` file) as
        :func:`lablib.jsoncmp.json_cmp` sees it; return the matching
        output.  At the deadline, fail with the last differences.
        ``cmp_kw`` goes to json_cmp (``exact``, ``ordered``, ``ignore``).
        """
        if isinstance(expected, str):
            expected = load_expected(expected)
        last = {}

        def check():
            out = self.show_json(node, cmd)
            last["diff"] = json_cmp(out, expected, **cmp_kw)
            return out if last["diff"] is None else None

        try:
            return wait_until(check, timeout=timeout,
                              what="%s: %r matches" % (node, cmd))
        except WaitTimeout as e:
            if last.get("diff"):
                raise WaitTimeout("%s: %r still differs after %.0fs:\n%s"
                                  % (node, cmd, timeout, last["diff"])) from e
            raise

    def _role(self, node):
        st = lm.stm.load(self.name)
        if st is None:
            raise LabError("lab %s is not up" % self.name)
        return lm.node_state(st, node)["role"]

    # failure reports
    SHOW = {
        "waypoint": ["show ip route", "show ipv6 route", "show interface"],
        "frr": ["show ip route", "show ipv6 route", "show interface brief"],
        "bird": ["show protocols", "show route"],
    }

    def diagnostics(self):
        """Everything worth reading when a test failed, as one string: per
        node its routing suite's ``show`` outputs (Waypoint through wpvty,
        FRR through vtysh, BIRD through birdc), its addresses and kernel
        routes, then all logs.  Never raises: a failing command is reported
        in place of its output."""
        st = lm.stm.load(self.name)
        if st is None:
            return "lab %s: not up, nothing to report" % self.name
        out = ["======== lab %s: state at failure ========" % self.name]
        for node, nst in st["nodes"].items():
            role = nst["role"]
            if role == "bridge":
                continue
            cmds = [("ip -br addr", lambda n=node: self.exec(
                         n, "ip -br addr", timeout=5)),
                    ("ip route", lambda n=node: self.exec(
                         n, "ip route show", timeout=5)),
                    ("ip -6 route", lambda n=node: self.exec(
                         n, "ip -6 route show", timeout=5))]
            for c in self.SHOW.get(role, []):
                if role == "waypoint":
                    f = (lambda n=node, c=c: self.wp_cmd(n, c, timeout=5))
                elif role == "frr":
                    f = (lambda n=node, c=c: self.frr_cmd(n, c, timeout=5))
                else:
                    f = (lambda n=node, c=c: self.bird_cmd(n, c, timeout=5))
                cmds.append((c, f))
            hung = None
            for label, fn in cmds:
                if hung:
                    text = "(skipped: %s)" % hung
                else:
                    try:
                        text = fn()
                    except subprocess.TimeoutExpired:
                        # a daemon that does not answer will not answer the
                        # next command either: do not wait for each
                        hung = "no answer to %r within 5 s" % label
                        text = "(failed: %s)" % hung
                    except Exception as e:  # noqa: BLE001 - report, go on
                        text = "(failed: %s)" % e
                out.append("==> %s (%s): %s <==\n%s"
                           % (node, role, label, text.rstrip()))
        out.append(self.logs())
        return "\n".join(out)

    # Waypoint daemons
    def wp_socket(self, node, daemon):
        """Path of DAEMON's vty socket on Waypoint node NODE."""
        nst = self._node_state(node, "waypoint")
        return os.path.join(nst["sockets"]["dir"], daemon + ".vty")

    def wp_pid(self, node, daemon):
        """Pid of a Waypoint daemon on NODE (from its pid file)."""
        nst = self._node_state(node, "waypoint")
        path = os.path.join(nst["sockets"]["dir"], daemon + ".pid")
        with open(path) as f:
            return int(f.read().split()[0])

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


def module_lab(topology, waypoint=(), frr=None, bird=False, kernel=(),
               timeout=90, failed=None):
    """Body of a module-scoped fixture: ``yield from module_lab(TOPO)``
    yields the lab up, prints its logs if the module's setup or teardown
    fails, takes it down at the end and fails the teardown if a daemon
    reported a leak or would not stop.

    Before that it skips the module unless running as root with what the
    lab needs: the Waypoint daemons WAYPOINT (names), FRR with the
    daemons FRR (a tuple, () for zebra and staticd only; None: no FRR),
    BIRD if BIRD is true, the kernel link kinds KERNEL (("vrf",)).
    FAILED, if given, says at teardown whether a test failed meanwhile:
    then :meth:`Lab.diagnostics` is printed first (pytest shows it under
    "Captured stdout teardown").  lablib.fixtures.lab_fixture is this in
    a fixture."""
    require_root()
    if waypoint:
        require_waypoint(*waypoint)
    if frr is not None:
        require_frr(*frr)
    if bird:
        require_bird()
    if kernel:
        require_kernel(*kernel)
    lab = Lab(topology, timeout=timeout)
    lab.up()
    try:
        yield lab
    except BaseException:
        print(lab.logs())
        raise
    finally:
        if failed is not None and failed():
            print(lab.diagnostics())
        lab.down()
    lab.check_shutdown()


NEIGH_THRESH = "/proc/sys/net/ipv4/neigh/default/gc_thresh%d"


class neigh_limits:
    """``with neigh_limits(n):`` room for N IPv4 neighbours for the block.

    The kernel's ARP table limits (gc_thresh1-3) are one for all network
    namespaces, 1,024 entries by default: a lab with a thousand address
    pairs needs two thousand, or half its peers are never resolved.
    Raised (never lowered) for the block and put back after it.
    """

    def __init__(self, n):
        self.want = {1: n // 4, 2: n // 2, 3: n}
        self.saved = {}

    def __enter__(self):
        for i, v in self.want.items():
            with open(NEIGH_THRESH % i) as f:
                self.saved[i] = int(f.read())
        for i in (3, 2, 1):         # keep thresh1 <= thresh2 <= thresh3
            if self.saved[i] < self.want[i]:
                with open(NEIGH_THRESH % i, "w") as f:
                    f.write(str(self.want[i]))
        return self

    def __exit__(self, *exc):
        for i in (1, 2, 3):
            with open(NEIGH_THRESH % i, "w") as f:
                f.write(str(self.saved[i]))
        return False


def wait_for(check, what, timeout=40):
    """Poll CHECK() until it returns an empty dict; a dict with entries is
    what still differs, and the last one goes into the failure message."""
    seen = {}

    def ok():
        seen.clear()
        seen.update(check())
        return not seen
    try:
        wait_until(ok, timeout=timeout, what=what)
    except WaitTimeout as e:
        raise AssertionError("%s; differing: %r" % (e, seen)) from e
