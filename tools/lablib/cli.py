"""labctl's command line; see ``labctl --help`` and doc/labs.md."""

import argparse
import json
import os
import subprocess
import sys

from . import graph as gm
from . import lab as lm
from . import topology as tpm
from .system import LabError


def _print_status(labs):
    if not labs:
        print("no lab is up")
        return
    for lab in labs:
        print("lab %s (%s) %s" % (lab["lab"], lab["phase"],
                                  os.path.relpath(lab["topology"] or "?")))
        for n in lab["nodes"]:
            ds = " ".join("%s%s" % (d["name"], "" if d["alive"] else "(dead)")
                          for d in n["daemons"])
            if not n["daemons"] and n["role"] not in ("host", "bridge"):
                ds = "no daemons" + (" (%s)" % "; ".join(n["warnings"])
                                     if n["warnings"] else "")
            print("  %-10s %-9s %-20s %s%s"
                  % (n["node"], n["role"], n["netns"],
                     "" if n["netns_exists"] else "NETNS MISSING ", ds))


def cmd_up(a):
    info = (lambda m: None) if a.quiet else (lambda m: print(m))
    st = lm.up(a.topology, timeout=a.timeout, info=info)
    if not a.quiet:
        _print_status(lm.status(st["lab"]))
    return 0


def _down(lab):
    report = []
    try:
        name = lm.down(lab, report=report)
    finally:
        # what the Waypoint daemons said on their way out (leaks)
        for f in report:
            print("warning: %s" % f, file=sys.stderr)
    print("lab %s is down" % name)


def cmd_down(a):
    if a.all:
        rc = 0
        for lab in lm.stm.labs_up():
            try:
                _down(lab)
            except LabError as e:
                print("labctl: %s" % e, file=sys.stderr)
                rc = 1
        return rc
    _down(a.target or a.lab)
    return 0


def cmd_status(a):
    labs = lm.status(a.lab)
    if a.json:
        print(json.dumps(labs, indent=1))
    else:
        _print_status(labs)
    return 0


def cmd_exec(a):
    if not a.cmd:
        a.cmd = [os.environ.get("SHELL") or "/bin/sh"]
    argv = lm.exec_argv(lm.lab_state(a.lab), a.node, a.cmd)
    return subprocess.call(argv)


def cmd_vtysh(a):
    argvs = lm.shell_argvs(lm.lab_state(a.lab), a.node, a.command or [])
    rc = 0
    for argv in argvs:
        rc = subprocess.call(argv) or rc
    return rc


def cmd_logs(a):
    files = lm.log_files(lm.lab_state(a.lab), a.node, a.daemon)
    if not files:
        print("node %s has no logs" % a.node)
    for label, path in files:
        if len(files) > 1:
            print("==> %s <==" % label)
        with open(path, errors="replace") as f:
            sys.stdout.write(f.read())
    return 0


def cmd_graph(a):
    if a.topology:
        topo = tpm.load(a.topology)
    elif not a.lab and not lm.stm.labs_up():
        raise LabError("no lab is up: name a topology file to draw")
    else:
        topo = tpm.load(lm.lab_state(a.lab)["topology"])
    sys.stdout.write(gm.ascii_graph(topo))
    if a.dot:
        with open(a.dot, "w") as f:
            f.write(gm.dot_graph(topo))
        print("wrote %s" % a.dot)
    if a.svg:
        _, msg = gm.write_svg(topo, a.svg)
        print(msg)
    return 0


def parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lab", default=argparse.SUPPRESS,
                        help="the lab to act on (needed when several are up)")
    p = argparse.ArgumentParser(
        prog="labctl",
        description="Run containerlab topologies in network namespaces.",
        epilog="See doc/labs.md.")
    p.add_argument("--lab", default=None,
                   help="the lab to act on (needed when several are up)")
    sub = p.add_subparsers(dest="command_name", metavar="COMMAND")
    sub.required = True

    s = sub.add_parser("up", parents=[common], help="bring a topology up")
    s.add_argument("topology", help="topology file or its directory")
    s.add_argument("--timeout", type=float, default=90,
                   help="seconds for the whole bring-up (default 90)")
    s.add_argument("-q", "--quiet", action="store_true")
    s.set_defaults(fn=cmd_up)

    s = sub.add_parser("down", parents=[common],
                       help="take a lab down, removing all it created")
    s.add_argument("target", nargs="?", help="lab name or topology file")
    s.add_argument("--all", action="store_true", help="every lab that is up")
    s.set_defaults(fn=cmd_down)

    s = sub.add_parser("status", parents=[common], help="labs, nodes, daemons")
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_status)

    s = sub.add_parser("exec", parents=[common],
                       help="run a command in a node's namespace")
    s.add_argument("node")
    s.add_argument("cmd", nargs=argparse.REMAINDER)
    s.set_defaults(fn=cmd_exec)

    s = sub.add_parser("vtysh", parents=[common],
                       help="a node's routing shell (vtysh, birdc)")
    s.add_argument("node")
    s.add_argument("-c", dest="command", action="append",
                   help="run this command (repeatable) instead of a session")
    s.set_defaults(fn=cmd_vtysh)

    s = sub.add_parser("logs", parents=[common], help="a node's daemon logs")
    s.add_argument("node")
    s.add_argument("daemon", nargs="?")
    s.set_defaults(fn=cmd_logs)

    s = sub.add_parser("graph", parents=[common],
                       help="draw the topology (ASCII, DOT, SVG)")
    s.add_argument("topology", nargs="?",
                   help="topology file (default: the lab that is up)")
    s.add_argument("--svg", metavar="FILE",
                   help="also write an SVG (the DOT source without graphviz)")
    s.add_argument("--dot", metavar="FILE", help="also write the DOT source")
    s.set_defaults(fn=cmd_graph)
    return p


def main(argv=None):
    a = parser().parse_args(argv)
    try:
        return a.fn(a)
    except tpm.TopologyError as e:
        print(str(e), file=sys.stderr)
        return 2
    except LabError as e:
        print("labctl: %s" % e, file=sys.stderr)
        return 1
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("labctl: interrupted", file=sys.stderr)
        return 130
