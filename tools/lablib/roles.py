"""What runs inside a node's namespace, by role.

Each role class has:

``check(node)``
    before anything is created: raise LabError if a needed program is
    missing (so a lab never half-builds for want of a package);
``start(ctx, node, nst, deadline)``
    start the daemons, wait until each answers, apply the configuration;
    record every daemon in ``nst["daemons"]`` as soon as it exists;
``shell(nst, cmds)``
    the argv of the node's routing shell (vtysh, birdc) for ``labctl vtysh``.

FRR (8.4) per node, in ``DIR = /run/waypoint-lab/<lab>/<node>`` owned by
``frr``::

    ip netns exec NS /usr/lib/frr/<daemon> -d -P 0 -f /dev/null \\
        -i DIR/<daemon>.pid -z DIR/zserv.api --vty_socket DIR \\
        --log file:DIR/<daemon>.log [-F PROFILE]
    vtysh --vty_socket DIR -d <daemon> -c 'show version'     # readiness
    vtysh --vty_socket DIR --config_dir DIR -f DIR/frr.conf   # config

Daemons start with an empty config (``-f /dev/null``: never the system's
``/etc/frr``) and the integrated ``frr.conf`` is applied through vtysh, as
``vtysh -b`` does at boot: each command reaches the daemon that owns it and
an invalid line fails ``labctl up`` with vtysh's ``line N: ...`` message.

BIRD 2 per node::

    DIR/bird.conf:  include "<the node's bird.conf>";  log "DIR/bird.log" all;
    ip netns exec NS bird -p -c DIR/bird.conf                 # syntax check
    ip netns exec NS bird -c DIR/bird.conf -s DIR/bird.ctl -P DIR/bird.pid
    birdc -s DIR/bird.ctl show status                         # readiness

Waypoint per node (pathspace ``<lab>-<node>``, sockets in
``/run/waypoint/<pathspace>/``)::

    ip netns exec NS <daemon> --pathspace PS [-f CONF] -d -l DIR/<daemon>.log

with the caller's ``daemon_env`` added to the environment (tests set
``WP_LEAK_CHECK=1``); ``labctl down`` stops them with SIGTERM and reads their
leak reports from the logs (:func:`lablib.lab.shutdown_findings`);

until the daemons are built, a Waypoint node gets its interface addresses
from the config (see :func:`WaypointRole.fallback_addresses`).
"""

import glob
import json
import os
import pwd
import shutil
import subprocess
import time

from . import daemons as dmn
from .system import (LabError, ip, netns_pids, ns_argv, pid_cmdline, poll,
                     read_pidfile, run)

FRR_SBIN = os.environ.get("WAYPOINT_LAB_FRR_SBIN", "/usr/lib/frr")
WAYPOINT_RUN = "/run/waypoint"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _bfd_realtime():
    """bfdd's --realtime priority in labs: 10 unless LABCTL_BFD_REALTIME
    says otherwise (0 or empty: the normal scheduler).  Labs share their
    machine's cores with everything else, and BFD's tens of milliseconds
    do not survive a normal scheduler on a loaded machine
    (doc/performance.md, bfdd)."""
    v = os.environ.get("LABCTL_BFD_REALTIME", "10").strip()
    return "" if v in ("", "0") else v


def _start_daemon(ctx, nst, name, argv, outfile, pidfile=None, log=None,
                  timeout=30, env=None):
    """Run a self-daemonizing program in the node's namespace.

    Its early stdout/stderr go to OUTFILE; ENV adds to labctl's own
    environment.  Records the daemon in the state (pid from PIDFILE once it
    exists).
    """
    rec = {"name": name, "cmd": argv, "pidfile": pidfile, "log": log,
           "out": outfile, "pid": None}
    nst["daemons"].append(rec)
    ctx.save()
    full = ns_argv(nst["netns"], argv, hostname=nst["node"])
    with open(outfile, "ab") as out:
        try:
            cp = subprocess.run(full, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=out, timeout=timeout,
                                env=dict(os.environ, **env) if env else None)
        except subprocess.TimeoutExpired:
            raise LabError("node %s: %s did not return within %ss"
                           % (ctx.node_name(nst), name, timeout))
    if cp.returncode != 0:
        raise LabError("node %s: %s failed to start (exit %d): %s"
                       % (ctx.node_name(nst), name, cp.returncode,
                          _tail(outfile) or "no output"))
    if pidfile:
        rec["pid"] = poll(lambda: read_pidfile(pidfile), 5, 0.05)
    ctx.save()
    return rec


def _tail(path, lines=8):
    try:
        with open(path, errors="replace") as f:
            return " | ".join(l.strip() for l in f.readlines()[-lines:]
                              if l.strip())
    except OSError:
        return ""


def _wait(ctx, nst, what, fn, deadline):
    left = max(0.5, deadline - time.monotonic())
    if not poll(fn, left, 0.1):
        raise LabError("node %s: %s not ready within the deadline"
                       % (ctx.node_name(nst), what))


class Role:
    name = "?"
    router = False

    def check(self, node):
        pass

    def start(self, ctx, node, nst, deadline):
        pass

    def after_links(self, ctx, node, nst):
        pass

    def shell(self, nst, cmds):
        raise LabError("node %s is a plain %s: it has no routing shell "
                       "(use 'labctl exec %s CMD')"
                       % (nst["node"], self.name, nst["node"]))


class HostRole(Role):
    name = "host"


class BridgeRole(Role):
    """A Linux bridge ``br0`` enslaving all of the node's link interfaces:
    a shared segment (LAN) for three or more routers."""
    name = "bridge"

    def after_links(self, ctx, node, nst):
        ns = nst["netns"]
        ip("link", "add", "br0", "type", "bridge", "forward_delay", "0",
           "mcast_snooping", "0", netns=ns)
        for ifname in node.interfaces:
            ip("link", "set", ifname, "master", "br0", netns=ns)
        ip("link", "set", "br0", "up", netns=ns)


class FrrRole(Role):
    name = "frr"
    router = True

    def check(self, node):
        for d in dmn.frr_daemons(node.config, node.frr_daemons_file):
            if not os.access(os.path.join(FRR_SBIN, d), os.X_OK):
                raise LabError("node %s needs FRR's %s: %s/%s not found "
                               "(apt-get install frr)"
                               % (node.name, d, FRR_SBIN, d))
        if not shutil.which("vtysh"):
            raise LabError("node %s needs FRR's vtysh (apt-get install frr)"
                           % node.name)
        try:
            pwd.getpwnam("frr")
        except KeyError:
            raise LabError("node %s: user 'frr' missing (apt-get install frr)"
                           % node.name)

    def start(self, ctx, node, nst, deadline):
        d = nst["dir"]
        pw = pwd.getpwnam("frr")
        conf = os.path.join(d, "frr.conf")
        if node.config:
            shutil.copyfile(node.config, conf)
        else:
            open(conf, "w").close()
        with open(os.path.join(d, "vtysh.conf"), "w") as f:
            f.write("service integrated-vtysh-config\n")
        for p in (d, conf):
            os.chown(p, pw.pw_uid, pw.pw_gid)
        nst["sockets"] = {"vty": d, "zserv": os.path.join(d, "zserv.api")}
        profile = dmn.frr_profile(node.config, node.frr_daemons_file)
        names = dmn.frr_daemons(node.config, node.frr_daemons_file)
        # FRR keeps OSPF graceful-restart state in one file per host
        # (/var/run/frr/ospfd-gr.json), not per instance: a file left by
        # a lab that restarted an FRR ospfd gracefully would make this
        # one believe it is restarting and not originate its LSAs.
        for gr in ("ospfd-gr.json", "ospf6d-gr.json"):
            try:
                os.unlink(os.path.join("/var/run/frr", gr))
            except OSError:
                pass
        for name in names:
            argv = [os.path.join(FRR_SBIN, name), "-d", "-P", "0",
                    "-f", "/dev/null",
                    "-i", os.path.join(d, name + ".pid"),
                    "-z", os.path.join(d, "zserv.api"),
                    "--vty_socket", d,
                    "--log", "file:" + os.path.join(d, name + ".log")]
            if profile:
                argv += ["-F", profile]
            _start_daemon(ctx, nst, name, argv,
                          os.path.join(d, name + ".out"),
                          pidfile=os.path.join(d, name + ".pid"),
                          log=os.path.join(d, name + ".log"))
            if name == "zebra":
                _wait(ctx, nst, "zebra's zserv.api socket",
                      lambda: os.path.exists(nst["sockets"]["zserv"]),
                      deadline)
        for name in names:
            _wait(ctx, nst, "FRR %s" % name,
                  lambda: self._answers(nst, name), deadline)
        # A large configuration (a thousand BFD peers) takes FRR's vtysh
        # longer than a minute: the lab's own deadline is the limit.
        cp = run(["vtysh", "--vty_socket", d, "--config_dir", d, "-f", conf],
                 netns=nst["netns"], check=False,
                 timeout=max(60, deadline - time.monotonic()))
        if cp.returncode != 0:
            msg = " ".join((cp.stdout + cp.stderr).split())
            raise LabError("node %s: FRR rejected %s: %s"
                           % (node.name, node.config, msg))

    @staticmethod
    def _answers(nst, daemon):
        cp = run(["vtysh", "--vty_socket", nst["dir"], "-d", daemon, "-c",
                  "show version"], check=False, timeout=10)
        return cp.returncode == 0 and "FRRouting" in cp.stdout

    def shell(self, nst, cmds):
        argv = ["vtysh", "--vty_socket", nst["dir"], "--config_dir",
                nst["dir"]]
        for c in cmds:
            argv += ["-c", c]
        return [argv]


class BirdRole(Role):
    name = "bird"
    router = True

    def check(self, node):
        for prog in ("bird", "birdc"):
            if not shutil.which(prog):
                raise LabError("node %s needs %s (apt-get install bird2)"
                               % (node.name, prog))

    def start(self, ctx, node, nst, deadline):
        d = nst["dir"]
        conf = os.path.join(d, "bird.conf")
        sock = os.path.join(d, "bird.ctl")
        log = os.path.join(d, "bird.log")
        with open(conf, "w") as f:
            f.write('include "%s";\nlog "%s" all;\n' % (node.config, log))
        nst["sockets"] = {"bird": sock}
        cp = run(["bird", "-p", "-c", conf], netns=nst["netns"], check=False)
        if cp.returncode != 0:
            raise LabError("node %s: BIRD rejected %s: %s"
                           % (node.name, node.config,
                              " ".join((cp.stdout + cp.stderr).split())))
        pidfile = os.path.join(d, "bird.pid")
        _start_daemon(ctx, nst, "bird",
                      ["bird", "-c", conf, "-s", sock, "-P", pidfile],
                      os.path.join(d, "bird.out"), pidfile=pidfile, log=log)
        _wait(ctx, nst, "BIRD", lambda: self._answers(sock), deadline)

    @staticmethod
    def _answers(sock):
        if not os.path.exists(sock):
            return False
        cp = run(["birdc", "-s", sock, "show", "status"], check=False,
                 timeout=10)
        return cp.returncode == 0 and "up and running" in cp.stdout

    def shell(self, nst, cmds):
        base = ["birdc", "-s", nst["sockets"]["bird"]]
        if not cmds:
            return [base]
        return [base + [c] for c in cmds]


def waypoint_bindir():
    """Where the Waypoint daemons are, as a function daemon-name -> path
    (None for a daemon that is not built); None if no daemon is found.

    Looked for in ``$WAYPOINT_BINDIR`` (a flat directory or a build
    tree), the source tree (``daemons/<d>/<d>``), the build trees
    (``build*/daemons/<d>/<d>``), then ``/usr/local/sbin`` and
    ``/usr/sbin``.  The first place holding any Waypoint daemon is used
    for all of them, so daemons of two builds are never mixed.
    """
    names = [d for d, _, _ in dmn.WAYPOINT_DAEMONS]
    env = os.environ.get("WAYPOINT_BINDIR")
    trees = ([env] if env else []) + [REPO] + sorted(
        glob.glob(os.path.join(REPO, "build*")))
    for t in trees:
        if any(_exe(os.path.join(t, d)) for d in names):
            return lambda d, t=t: _exe(os.path.join(t, d))
        if any(_exe(os.path.join(t, "daemons", d, d)) for d in names):
            return lambda d, t=t: _exe(os.path.join(t, "daemons", d, d))
        if env and t == env:
            return None         # told where to look: nowhere else
    for t in ("/usr/local/sbin", "/usr/sbin"):
        if any(_exe(os.path.join(t, d)) for d in ("mgmtd", "ribd")):
            return lambda d, t=t: _exe(os.path.join(t, d))
    return None


def waypoint_tool(name):
    """A helper program of the same build as the daemons (``wpvty``):
    ``$WAYPOINT_BINDIR/<name>``, ``<tree>/tools/<name>/<name>``, or None.
    """
    env = os.environ.get("WAYPOINT_BINDIR")
    # An explicit directory is the only place looked at.
    trees = [env] if env else [REPO] + sorted(
        glob.glob(os.path.join(REPO, "build*")))
    for t in trees:
        for c in (os.path.join(t, name),
                  os.path.join(t, "tools", name, name)):
            if _exe(c):
                return c
    return shutil.which(name)


def waypoint_vtysh():
    """Path of Waypoint's vtysh, or None (FRR's /usr/bin/vtysh never)."""
    env = os.environ.get("WAYPOINT_BINDIR")
    cands = ([os.path.join(env, "vtysh"), os.path.join(env, "vtysh", "vtysh")]
             if env else [])
    cands += [os.path.join(REPO, "vtysh", "vtysh")]
    cands += sorted(glob.glob(os.path.join(REPO, "build*", "vtysh", "vtysh")))
    cands += ["/usr/local/bin/vtysh"]
    for c in cands:
        if _exe(c):
            return c
    return None


def _exe(path):
    return path if os.access(path, os.X_OK) and os.path.isfile(path) else None


class WaypointRole(Role):
    name = "waypoint"
    router = True

    def start(self, ctx, node, nst, deadline):
        ps = nst["netns"]
        nst["pathspace"] = ps
        find = waypoint_bindir()
        wanted = dmn.waypoint_daemons(node.config)
        present = [(d, c) for d, c in wanted if find and find(d)]
        if not present:
            ctx.warn("waypoint daemons not built yet: node %s runs without "
                     "routing daemons (labctl set the interface addresses "
                     "from its config instead)" % node.name)
            nst["warnings"].append("waypoint daemons not built")
            self.fallback_addresses(ctx, node, nst)
            return
        missing = [d for d, _ in wanted if not find(d)]
        if missing:
            ctx.warn("node %s: %s not built yet; running without"
                     % (node.name, ", ".join(missing)))
            nst["warnings"].append("not built: " + ", ".join(missing))
        if "ribd" in missing:
            # Nobody applies the interface config and static routes.
            self.fallback_addresses(ctx, node, nst)
        _yang_path_default(find)
        rundir = os.path.join(WAYPOINT_RUN, ps)
        nst["sockets"] = {"dir": rundir}
        ctx.st["dirs"].append(rundir)
        ctx.save()
        d = nst["dir"]
        from_mgmtd = False
        for name, takes_conf in present:
            exe = find(name)
            argv = [exe, "--pathspace", ps, "-d",
                    "-l", os.path.join(d, name + ".log")]
            if name in dmn.MGMTD_CLIENTS and (from_mgmtd or (
                    name == "ribd" and
                    os.environ.get("WAYPOINT_RIB_FROM_MGMTD") == "1")):
                takes_conf = False      # configuration from mgmtd
            if takes_conf and node.config:
                argv += ["-f", node.config]
            if name == "bfdd" and _bfd_realtime():
                argv += ["--realtime", _bfd_realtime()]
            if name == "mgmtd":
                # The commit history of this lab only, gone with it.
                argv += ["--state-dir", os.path.join(d, "mgmtd-state")]
            rec = _start_daemon(ctx, nst, name, argv,
                                os.path.join(d, name + ".out"),
                                log=os.path.join(d, name + ".log"),
                                env=ctx.daemon_env)
            sock = os.path.join(rundir, name + ".vty")
            _wait(ctx, nst, "waypoint %s (%s)" % (name, sock),
                  lambda: os.path.exists(sock), deadline)
            rec["pid"] = _pid_in_netns(nst["netns"], exe)
            rec["pidfile"] = os.path.join(rundir, name + ".pid")
            if not takes_conf:
                rec["config"] = "mgmtd"
            if name == "mgmtd" and node.config:
                from_mgmtd = _mgmtd_loaded(ps)
                if from_mgmtd is False:
                    ctx.warn("node %s: mgmtd did not load %s (see "
                             "'labctl vtysh %s -c \"show mgmt\"'): its "
                             "daemons read the file themselves, and "
                             "changes made in vtysh do not reach them"
                             % (node.name, node.config, node.name))
            ctx.save()

    def fallback_addresses(self, ctx, node, nst):
        """TEMPORARY: apply ``interface X`` / ``ip address A/P`` lines of the
        config with ``ip addr add``, and ``ip route`` / ``ipv6 route``
        lines with ``ip route add``, so a lab without ribd can still be
        inspected, pinged and routed through.  Goes away once ribd applies
        interface config and static routes.
        """
        ns = nst["netns"]
        for ifname, fam, addr in dmn.interface_addresses(node.config):
            if ip("link", "show", "dev", ifname, netns=ns,
                  check=False).returncode != 0:
                ctx.warn("node %s: config names interface %s, which the "
                         "topology does not give it" % (node.name, ifname))
                continue
            args = ["-%d" % fam, "addr", "add", addr, "dev", ifname]
            if fam == 6:
                args.append("nodad")
            ip(*args, netns=ns)
        for fam, prefix, via in dmn.static_routes(node.config):
            cp = ip("-%d" % fam, "route", "replace", prefix, "via", via,
                    netns=ns, check=False)
            if cp.returncode != 0:
                ctx.warn("node %s: ip route %s via %s: %s"
                         % (node.name, prefix, via,
                            (cp.stderr or cp.stdout).strip()))

    def shell(self, nst, cmds):
        vt = waypoint_vtysh()
        if not vt:
            raise LabError("waypoint vtysh is not built yet: no shell for "
                           "node %s (use 'labctl exec %s CMD' meanwhile)"
                           % (nst["node"], nst["node"]))
        find = waypoint_bindir()
        if find:
            _yang_path_default(find)    # the configuration commands
        argv = [vt, "--pathspace", nst["pathspace"]]
        for c in cmds:
            argv += ["-c", c]
        return [argv]


def _mgmtd_loaded(pathspace):
    """Whether mgmtd in PATHSPACE loaded its startup file whole (``show
    mgmt json`` through vtysh): True, False, or None when that cannot be
    asked (no vtysh, no answer); the daemons then read the file."""
    vt = waypoint_vtysh()
    if vt is None:
        return None
    try:
        cp = subprocess.run([vt, "--pathspace", pathspace, "-c",
                             "show mgmt json"], capture_output=True,
                            text=True, timeout=30)
        js = json.loads(cp.stdout)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if not isinstance(js, dict) or "loadedFrom" not in js:
        return None
    return bool(js.get("loadedFrom")) and not js.get("startupError")


def _yang_path_default(find):
    """Daemons run from the source or a build tree find the YANG modules
    in the tree's ``yang/`` (exported as ``$WP_YANG_PATH`` for them and for
    whatever the caller starts later), unless the caller chose a path."""
    exe = find("mgmtd") or find("ribd")
    yang = os.path.join(REPO, "yang")
    if (exe and os.path.realpath(exe).startswith(REPO + os.sep)
            and os.path.isdir(yang)):
        os.environ.setdefault("WP_YANG_PATH", yang)


def _pid_in_netns(netns, exe):
    for p in netns_pids(netns):
        # argv[0], or argv[1] of a script run by its interpreter
        if exe in pid_cmdline(p).split(" ")[:2]:
            return p
    return None


ROLES = {
    "host": HostRole(),
    "bridge": BridgeRole(),
    "frr": FrrRole(),
    "bird": BirdRole(),
    "waypoint": WaypointRole(),
}
