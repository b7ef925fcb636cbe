"""netconfd inside a lab node's network namespace, for the NETCONF
topology tests: started on the node's mgmtd, reached with ncclient over
a TCP socket made inside the namespace."""

import ctypes
import os
import signal
import socket
import subprocess

from ncclient import manager

from lablib import roles
from lablib.harness import wait_until

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def ns_connect(netns, port, timeout=5):
    """A TCP socket connected to 127.0.0.1:PORT inside NETNS: this
    thread enters the namespace for the connect and comes back."""
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    target = os.open("/run/netns/" + netns, os.O_RDONLY)
    try:
        if _libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + netns)
        try:
            return socket.create_connection(("127.0.0.1", port), timeout)
        finally:
            if _libc.setns(own, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(target)
        os.close(own)


class Netconfd:
    """netconfd in NODE's namespace, a session client of its mgmtd."""

    def __init__(self, lab, node, tmp, port):
        self.lab, self.node, self.dir, self.port = lab, node, tmp, port
        self.netns = lab.netns(node)
        users = os.path.join(tmp, "users")
        with open(users, "w") as f:
            f.write("admin:secret\n")
        nst = lab._node_state(node, "waypoint")
        self.log = os.path.join(tmp, "netconfd.log")
        argv = ["ip", "netns", "exec", self.netns,
                roles.waypoint_bindir()("netconfd"),
                "--rundir", os.path.dirname(nst["sockets"]["dir"]),
                "--pathspace", nst["pathspace"],
                "--log-level", "debugging",
                "--state-dir", os.path.join(tmp, "state"),
                "--listen", "127.0.0.1", "--port", str(port),
                "--users", users]
        with open(self.log, "w") as log:
            # WP_LEAK_CHECK: exit status 3 if memory leaked.
            self.proc = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT,
                env=dict(os.environ, WP_LEAK_CHECK="1"))
        wait_until(self.listening, timeout=15, what="netconfd to listen")

    def listening(self):
        assert self.proc.poll() is None, "netconfd exited:\n" + self.logs()
        try:
            ns_connect(self.netns, self.port).close()
            return True
        except OSError:
            return False

    def connect(self):
        return manager.connect(host="127.0.0.1", port=self.port,
                               sock=ns_connect(self.netns, self.port),
                               username="admin", password="secret",
                               hostkey_verify=False, allow_agent=False,
                               look_for_keys=False, timeout=20)

    def logs(self):
        with open(self.log, errors="replace") as f:
            return f.read()[-6000:]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def serve(lab, node, tmp, port):
    """Body of a module-scoped fixture: ``yield from serve(...)`` yields
    netconfd running in NODE, prints its log if the module fails, and
    checks it stops cleanly on SIGTERM, with no memory left."""
    srv = Netconfd(lab, node, tmp, port)
    try:
        yield srv
    except BaseException:
        print(srv.logs())
        raise
    finally:
        assert srv.stop() == 0, srv.logs()
