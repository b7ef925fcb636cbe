"""Kernel FIB helpers shared by the ospfd topology tests: what a node's
kernel forwards with for a prefix, what ospfd says ribd did with its
routes, killing and restarting a daemon."""

import os
import signal
import subprocess

from lablib import state as stm
from lablib.harness import wait_until


def fib_nexthops(lab, node, prefix, protocol="ospf"):
    """{(gateway, dev)} of NODE's kernel route for PREFIX from PROTOCOL,
    or None if there is none (ECMP routes give one pair per path)."""
    r = lab.route(node, prefix)
    if r is None or (protocol and r.get("protocol") != protocol):
        return None
    if r.get("nexthops"):
        return {(n.get("gateway"), n.get("dev")) for n in r["nexthops"]}
    return {(r.get("gateway"), r.get("dev"))}


def wait_fib(lab, node, prefix, nexthops, protocol="ospf", timeout=20):
    """Wait until NODE's kernel forwards PREFIX to exactly NEXTHOPS
    ({(gateway, dev)}), installed by PROTOCOL."""
    wait_until(lambda: fib_nexthops(lab, node, prefix, protocol) ==
               set(nexthops), timeout=timeout,
               what="%s: kernel route %s via %s (%s)"
               % (node, prefix, sorted(nexthops), protocol))


def wait_no_fib(lab, node, prefix, timeout=20):
    wait_until(lambda: lab.route(node, prefix) is None, timeout=timeout,
               what="%s: no kernel route for %s" % (node, prefix))


def ospf_routes(lab, node):
    return {r["prefix"]: r for r in lab.wp_json(
        node, "show ip ospf route", daemon="ospfd")["routes"]}


def rib_session(lab, node):
    """ospfd's session with ribd (`show ip ospf json` "rib")."""
    return lab.wp_json(node, "show ip ospf", daemon="ospfd").get("rib", {})


def rib_settled(lab, node):
    """ospfd is connected to ribd, its initial table is complete, and
    every route it sent has an answer."""
    s = rib_session(lab, node)
    return bool(s.get("connected") and s.get("initialSyncDone") and
                s.get("idle"))


def daemon_record(lab, node, name):
    st = stm.load(lab.name)
    return [d for d in st["nodes"][node]["daemons"] if d["name"] == name][0]


def kill9(lab, node, name):
    """SIGKILL a Waypoint daemon of NODE and wait until it is gone."""
    pid = lab.wp_pid(node, name)
    os.kill(pid, signal.SIGKILL)

    def gone():
        try:
            with open("/proc/%d/stat" % pid) as f:
                return f.read().split()[2] == "Z"
        except OSError:
            return True
    wait_until(gone, timeout=10, what="%s %s exits" % (node, name))


def restart(lab, node, name):
    """Start a daemon of NODE again with the command line the lab used."""
    rec = daemon_record(lab, node, name)
    subprocess.run(["ip", "netns", "exec", lab.netns(node)] +
                   list(rec["cmd"]), check=True, timeout=30,
                   capture_output=True)
