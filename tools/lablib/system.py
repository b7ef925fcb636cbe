"""Commands, namespaces, veths and processes: the only code that changes the
system.  Everything runs ``ip`` / ``ip netns exec`` and checks return codes;
a failure raises :class:`LabError` with the command and its stderr.
"""

import os
import shlex
import signal
import subprocess
import time


class LabError(Exception):
    """A lab operation failed; the message is meant for the user."""


def run(argv, check=True, timeout=30, input=None, netns=None, env=None):
    """Run ARGV (in NETNS if given); return CompletedProcess (text mode).

    With ``check``, a non-zero exit raises LabError naming the command.
    """
    if netns:
        argv = ["ip", "netns", "exec", netns] + list(argv)
    try:
        cp = subprocess.run(argv, capture_output=True, text=True,
                            timeout=timeout, input=input, env=env)
    except FileNotFoundError:
        raise LabError("%s: command not found" % argv[0])
    except subprocess.TimeoutExpired:
        raise LabError("%s: no answer after %ss" % (_show(argv), timeout))
    if check and cp.returncode != 0:
        msg = (cp.stderr or cp.stdout).strip()
        raise LabError("%s: exit %d%s" % (_show(argv), cp.returncode,
                                          ": " + msg if msg else ""))
    return cp


def _show(argv):
    return " ".join(shlex.quote(a) for a in argv)


def ns_argv(netns, argv, hostname=None):
    """ARGV run in NETNS; with HOSTNAME, also in a UTS namespace of its own
    named HOSTNAME (as a container would be), so daemons and shells show
    the node name instead of the machine's."""
    if hostname:
        argv = ["unshare", "--uts", "--", "sh", "-c",
                'hostname "$0" && exec "$@"', hostname] + list(argv)
    return ["ip", "netns", "exec", netns] + list(argv)


def ip(*args, netns=None, check=True):
    """``ip [-n NETNS] ARGS``."""
    argv = ["ip"] + (["-n", netns] if netns else []) + list(args)
    return run(argv, check=check)


def netns_list():
    """Names of the network namespaces that exist."""
    try:
        return sorted(n for n in os.listdir("/run/netns"))
    except FileNotFoundError:
        return []


def netns_exists(name):
    return os.path.exists(os.path.join("/run/netns", name))


def netns_add(name):
    if netns_exists(name):
        raise LabError("network namespace %s already exists "
                       "(left from an earlier lab? 'labctl down' it, or "
                       "'ip netns del %s')" % (name, name))
    ip("netns", "add", name)
    ip("link", "set", "lo", "up", netns=name)


def netns_del(name):
    if netns_exists(name):
        ip("netns", "del", name)


def netns_pids(name):
    """Pids of the processes living in namespace NAME."""
    if not netns_exists(name):
        return []
    cp = run(["ip", "netns", "pids", name], check=False)
    return [int(p) for p in cp.stdout.split() if p.isdigit()]


def link_exists(ifname, netns=None):
    return ip("link", "show", "dev", ifname, netns=netns,
              check=False).returncode == 0


def sysctl(netns, key, value):
    """Set a sysctl inside NETNS (the /proc/sys file, not the sysctl tool)."""
    run(["sh", "-c", 'echo "$1" > "/proc/sys/$2"', "sysctl", str(value),
         key.replace(".", "/")], netns=netns)


# --- processes ----------------------------------------------------------------

def pid_alive(pid):
    """True if PID runs and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False
    # state is the field after the ")" closing the command name
    return stat.rpartition(")")[2].split()[0] != "Z"


def pid_cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def read_pidfile(path):
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def kill_pids(pids, timeout=5.0):
    """SIGTERM PIDS, wait up to TIMEOUT for them to go, then SIGKILL.

    Returns the pids still alive at the end (normally none).
    """
    pids = [p for p in set(pids) if p and p != os.getpid() and pid_alive(p)]
    for p in pids:
        try:
            os.kill(p, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = [p for p in pids if pid_alive(p)]
        if not pids:
            return []
        time.sleep(0.05)
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        pids = [p for p in pids if pid_alive(p)]
        if not pids:
            return []
        time.sleep(0.05)
    return pids


def poll(fn, timeout, interval=0.1):
    """Call FN until it returns a true value or TIMEOUT passes.

    Returns FN's last value (true on success, false on timeout).
    """
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(interval)
