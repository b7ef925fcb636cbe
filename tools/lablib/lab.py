"""Bring a topology up in network namespaces and take it down again.

``up()`` builds, in this order, saving the state after every step:

1. one namespace ``<lab>-<node>`` per node (lo up; IPv4/IPv6 forwarding on
   for router nodes), and its run directory ``/run/waypoint-lab/<lab>/<node>``;
2. a veth pair per link: created in the root namespace under temporary
   names (``wl<hex>a``/``wl<hex>b``), moved into the two namespaces,
   renamed to the interface names of the file, set up;
3. bridges for ``kind: bridge`` nodes;
4. each node's ``exec:`` commands, in its namespace (split like a shell
   word list, not run through a shell, as containerlab does);
5. each router node's daemons (see :mod:`lablib.roles`), waiting until
   every daemon answers, within one deadline for the whole lab.

If any step fails (or labctl is interrupted), ``up()`` takes down what it
built and raises.  ``down()`` works from the state file alone, so it also
cleans up after a crash: it kills every process in the lab's namespaces and
the daemons it recorded, deletes leftover temporary veths and the
namespaces (which deletes their veths), then the run directories.  Before
that it stops the Waypoint daemons with SIGTERM and waits for them, so each
writes its leak report to its log; ``down(report=[])`` hands back what they
reported (``memory leak:`` lines), which tests turn into failures.
"""

import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time

from . import state as stm
from . import topology as tpm
from .roles import ROLES
from .system import (LabError, ip, kill_pids, link_exists, netns_add,
                     netns_del, netns_exists, netns_pids, pid_alive,
                     pid_cmdline, sysctl, ns_argv)


def require_root():
    if os.geteuid() != 0:
        raise LabError("labctl must run as root (it creates network "
                       "namespaces)")


class _Ctx:
    """What roles see while a lab is built: the topology, the state, and
    where to report warnings."""

    def __init__(self, topo, st, warn, daemon_env=None):
        self.topo = topo
        self.st = st
        self.warn = warn
        self.daemon_env = daemon_env or {}

    def save(self):
        stm.save(self.st)

    def node_name(self, nst):
        return nst["node"]


def _default_warn(msg):
    print("warning: %s" % msg, file=sys.stderr)


def up(arg, timeout=90, warn=_default_warn, info=None, daemon_env=None):
    """Bring up the topology ARG (file or directory); return its state.

    ``timeout`` bounds the whole bring-up (daemons answering included).
    ``daemon_env`` adds variables to the Waypoint daemons' environment
    (tests give ``WP_LEAK_CHECK=1``).
    Raises TopologyError for a bad file, LabError for anything else; in
    both cases nothing is left behind.
    """
    topo = arg if isinstance(arg, tpm.Topology) else tpm.load(arg)
    require_root()
    info = info or (lambda m: None)
    deadline = time.monotonic() + timeout
    with stm.Lock():
        if stm.load(topo.name) is not None:
            raise LabError("lab %s is already up (labctl down %s)"
                           % (topo.name, topo.name))
        for n in topo.nodes.values():
            ns = topo.netns(n.name)
            if netns_exists(ns):
                raise LabError("network namespace %s already exists (not "
                               "made by labctl for this lab: remove it with "
                               "'ip netns del %s')" % (ns, ns))
            ROLES[n.role].check(n)
        st = {"lab": topo.name, "topology": topo.path, "phase": "building",
              "created": time.time(), "namespaces": [], "temp_links": [],
              "dirs": [], "nodes": {}}
        stm.save(st)
        ctx = _Ctx(topo, st, warn, daemon_env)
        old = signal.signal(signal.SIGTERM, _sigterm)
        try:
            _build(ctx, topo, st, deadline, info)
            st["phase"] = "up"
            stm.save(st)
        except BaseException:
            for e in _teardown(st):
                warn("cleanup: %s" % e)
            raise
        finally:
            signal.signal(signal.SIGTERM, old)
    return st


def _sigterm(signum, frame):
    raise LabError("interrupted by SIGTERM")


def _build(ctx, topo, st, deadline, info):
    info("lab %s: %d nodes, %d links" % (topo.name, len(topo.nodes),
                                         len(topo.links)))
    for n in topo.nodes.values():
        ns = topo.netns(n.name)
        d = os.path.join(stm.lab_dir(topo.name), n.name)
        os.makedirs(d, mode=0o755, exist_ok=True)
        st["nodes"][n.name] = {"node": n.name, "netns": ns, "role": n.role,
                               "image": n.image, "dir": d, "daemons": [],
                               "sockets": {}, "warnings": [],
                               "config": n.config}
        st["namespaces"].append(ns)
        stm.save(st)
        netns_add(ns)
        if ROLES[n.role].router:
            sysctl(ns, "net.ipv4.ip_forward", 1)
            if os.path.exists("/proc/sys/net/ipv6"):
                sysctl(ns, "net.ipv6.conf.all.forwarding", 1)

    for lk in topo.links:
        _make_link(topo, st, lk)
    for n in topo.nodes.values():
        ROLES[n.role].after_links(ctx, n, st["nodes"][n.name])

    for n in topo.nodes.values():
        _run_exec(topo, n, st["nodes"][n.name])

    for n in topo.nodes.values():
        if n.role in ("host", "bridge"):
            continue
        info("node %s: starting %s daemons" % (n.name, n.role))
        ROLES[n.role].start(ctx, n, st["nodes"][n.name], deadline)
    info("lab %s is up" % topo.name)


def _make_link(topo, st, lk):
    while True:
        tag = "wl" + secrets.token_hex(4)
        ta, tb = tag + "a", tag + "b"
        if not link_exists(ta) and not link_exists(tb):
            break
    st["temp_links"] += [ta, tb]
    stm.save(st)
    args = ["link", "add", ta]
    if lk.mtu:
        args += ["mtu", str(lk.mtu)]
    args += ["type", "veth", "peer", "name", tb]
    if lk.mtu:
        args += ["mtu", str(lk.mtu)]
    ip(*args)
    for tmp, (node, ifname) in ((ta, lk.a), (tb, lk.b)):
        ns = topo.netns(node)
        ip("link", "set", "dev", tmp, "netns", ns)
        ip("link", "set", "dev", tmp, "name", ifname, netns=ns)
    st["temp_links"] = [t for t in st["temp_links"] if t not in (ta, tb)]
    stm.save(st)
    for node, ifname in (lk.a, lk.b):
        ip("link", "set", "dev", ifname, "up", netns=topo.netns(node))


def _run_exec(topo, n, nst):
    if not n.exec:
        return
    logf = os.path.join(nst["dir"], "exec.log")
    with open(logf, "a") as log:
        for i, (cmd, line) in enumerate(zip(n.exec, n.exec_lines)):
            where = "%s:%d" % (_relpath(topo.path), line)
            try:
                argv = shlex.split(cmd)
            except ValueError as e:
                raise LabError("%s: nodes.%s.exec[%d]: %s"
                               % (where, n.name, i, e))
            log.write("$ %s\n" % cmd)
            try:
                cp = subprocess.run(ns_argv(nst["netns"], argv, n.name),
                                    capture_output=True, text=True,
                                    timeout=30, stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                raise LabError("%s: nodes.%s.exec[%d]: %r did not finish "
                               "within 30s" % (where, n.name, i, cmd))
            log.write(cp.stdout + cp.stderr)
            if cp.returncode != 0:
                msg = (cp.stderr or cp.stdout).strip()
                raise LabError("%s: nodes.%s.exec[%d]: %r failed (exit %d)%s"
                               % (where, n.name, i, cmd, cp.returncode,
                                  ": " + msg if msg else ""))


def _relpath(p):
    r = os.path.relpath(p)
    return p if r.startswith("../..") else r


def down(lab=None, report=None):
    """Take LAB down (the only lab up if None); returns the lab name.

    Waypoint daemons are stopped first, with SIGTERM, so that each writes
    its leak report; if REPORT is a list, what they reported (see
    :func:`shutdown_findings`) is appended to it.  Problems are collected
    and raised together at the end, after every step was tried.
    """
    with stm.Lock():
        lab = pick_lab(lab)
        st = stm.load(lab)
        if st is None:
            raise LabError("lab %s is not up" % lab)
        errs = _teardown(st, report)
    if errs:
        raise LabError("lab %s: cleanup problems:\n  %s"
                       % (lab, "\n  ".join(errs)))
    return lab


# How long a Waypoint daemon may take to stop cleanly on SIGTERM.
STOP_TIMEOUT = 10.0

LEAK_MARK = "memory leak:"


def _waypoint_procs(st):
    """``[(node, daemon name, pid)]`` of the Waypoint daemons running in
    the lab's namespaces: every process whose program is one that labctl
    started for a Waypoint node (also one a test restarted by hand)."""
    out = []
    for nst in st.get("nodes", {}).values():
        if nst.get("role") != "waypoint":
            continue
        progs = {d["cmd"][0]: d["name"] for d in nst.get("daemons", [])
                 if d.get("cmd")}
        if not progs:
            continue
        for p in netns_pids(nst["netns"]):
            # argv[0], or argv[1] of a script run by its interpreter
            words = pid_cmdline(p).split(" ")[:2]
            prog = next((w for w in words if w in progs), None)
            if prog and pid_alive(p):
                out.append((nst["node"], progs[prog], p))
    return out


def _stop_waypoint(st):
    """SIGTERM the lab's Waypoint daemons and wait for them to exit, so
    that each runs its shutdown and writes its leak report.  Returns the
    findings for those that would not stop."""
    procs = _waypoint_procs(st)
    for _, _, p in procs:
        try:
            os.kill(p, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + STOP_TIMEOUT
    left = procs
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = [x for x in left if pid_alive(x[2])]
    for _, _, p in left:
        try:
            os.kill(p, signal.SIGKILL)  # it had its chance
        except ProcessLookupError:
            pass
    return ["node %s: %s (pid %d) did not stop within %.0f s of SIGTERM "
            "(killed; no leak report)" % (n, d, p, STOP_TIMEOUT)
            for n, d, p in left]


def shutdown_findings(st):
    """What the Waypoint daemons of ST logged about their own shutdown: one
    string per ``memory leak:`` line (``node r1: ribd: memory leak: ...``).
    With ``WP_LEAK_CHECK=1`` a daemon with such lines also exits with
    status 3, but a daemon started with ``-d`` has no parent to see it:
    the log is where the report is kept."""
    out = []
    for nst in st.get("nodes", {}).values():
        if nst.get("role") != "waypoint":
            continue
        seen = set()
        for d in nst.get("daemons", []):
            log = d.get("log")
            if not log or log in seen:
                continue
            seen.add(log)
            try:
                with open(log, errors="replace") as f:
                    lines = [l.rstrip("\n") for l in f if LEAK_MARK in l]
            except OSError:
                continue
            for l in lines:
                out.append("node %s: %s: %s" % (nst["node"], d["name"],
                                                 l[l.index(LEAK_MARK):]))
    return out


def _teardown(st, report=None):
    """Remove everything recorded in ST; return a list of problems.

    If REPORT is a list, the Waypoint daemons' shutdown findings are
    appended to it (read before the logs are removed)."""
    errs = []
    findings = _stop_waypoint(st)
    findings += shutdown_findings(st)
    if report is not None:
        report.extend(findings)
    pids = []
    for nst in st.get("nodes", {}).values():
        for d in nst.get("daemons", []):
            p = d.get("pid")
            # only a process that still runs the recorded program (argv[0],
            # or argv[1] of a script run by its interpreter)
            if p and pid_alive(p) and d["cmd"] and \
                    d["cmd"][0] in pid_cmdline(p).split(" ")[:2]:
                pids.append(p)
    for ns in st.get("namespaces", []):
        pids += netns_pids(ns)
    left = kill_pids(pids)
    if left:
        errs.append("processes would not die: %s" % left)
    for t in st.get("temp_links", []):
        if link_exists(t):
            r = ip("link", "del", t, check=False)
            if r.returncode != 0 and link_exists(t):
                errs.append("ip link del %s: %s" % (t, r.stderr.strip()))
    for ns in reversed(st.get("namespaces", [])):
        try:
            netns_del(ns)
        except LabError as e:
            errs.append(str(e))
    for d in st.get("dirs", []):
        _rmtree(d)
    if not errs:
        stm.remove(st["lab"])
    return errs


def _rmtree(d):
    shutil.rmtree(d, ignore_errors=True)


def pick_lab(lab=None):
    """LAB if given, else ``$LABCTL_LAB`` if set, else the only lab up;
    LabError otherwise.

    LAB may also be a topology file or directory (its ``name`` is used).
    """
    lab = lab or os.environ.get("LABCTL_LAB")
    if lab:
        if os.path.exists(lab) and (os.path.isdir(lab) or
                                    lab.endswith((".yml", ".yaml"))):
            return tpm.load(lab).name
        return lab
    labs = stm.labs_up()
    if not labs:
        raise LabError("no lab is up")
    if len(labs) > 1:
        raise LabError("several labs are up (%s): pick one with --lab NAME"
                       % ", ".join(labs))
    return labs[0]


def lab_state(lab=None):
    """The state dict of LAB (or the only lab up)."""
    lab = pick_lab(lab)
    st = stm.load(lab)
    if st is None:
        raise LabError("lab %s is not up" % lab)
    return st


def node_state(st, node):
    try:
        return st["nodes"][node]
    except KeyError:
        raise LabError("lab %s has no node %r (nodes: %s)"
                       % (st["lab"], node, ", ".join(st["nodes"])))


def status(lab=None):
    """A list of per-lab dicts: name, phase, and per node the namespace,
    role and whether each daemon is alive."""
    labs = [pick_lab(lab)] if lab else stm.labs_up()
    out = []
    for name in labs:
        st = stm.load(name) or {"lab": name, "nodes": {}}
        nodes = []
        for nst in st.get("nodes", {}).values():
            ds = []
            for d in nst.get("daemons", []):
                ds.append({"name": d["name"], "pid": d.get("pid"),
                           "alive": bool(d.get("pid")) and pid_alive(d["pid"])})
            nodes.append({"node": nst["node"], "netns": nst["netns"],
                          "role": nst["role"],
                          "netns_exists": netns_exists(nst["netns"]),
                          "daemons": ds, "warnings": nst.get("warnings", [])})
        out.append({"lab": name, "phase": st.get("phase"),
                    "topology": st.get("topology"), "nodes": nodes})
    return out


def shell_argvs(st, node, cmds):
    """The argv(s) that run the routing shell of NODE with commands CMDS."""
    nst = node_state(st, node)
    argvs = ROLES[nst["role"]].shell(nst, cmds)
    return [ns_argv(nst["netns"], a, hostname=node) for a in argvs]


def log_files(st, node, daemon=None):
    """``[(label, path)]`` of a node's logs (one daemon's if DAEMON)."""
    nst = node_state(st, node)
    d = nst["dir"]
    out = []
    names = [x["name"] for x in nst.get("daemons", [])]
    if daemon and daemon not in names + ["exec"]:
        raise LabError("node %s runs no %s (logs: %s)"
                       % (node, daemon, ", ".join(names + ["exec"])))
    for name in names + ["exec"]:
        if daemon and name != daemon:
            continue
        for suffix in (".log", ".out"):
            p = os.path.join(d, name + suffix)
            if os.path.isfile(p) and (suffix == ".log" or os.path.getsize(p)):
                out.append(("%s%s" % (name, suffix), p))
    return out


def exec_argv(st, node, argv):
    nst = node_state(st, node)
    if not netns_exists(nst["netns"]):
        raise LabError("namespace %s of node %s is gone" % (nst["netns"], node))
    return ns_argv(nst["netns"], argv, hostname=node)


__all__ = ["up", "down", "status", "pick_lab", "lab_state", "node_state",
           "shell_argvs", "log_files", "exec_argv", "require_root",
           "LabError"]
