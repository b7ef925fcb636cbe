#!/usr/bin/env python3
"""vtysh on a real terminal (a pseudo-terminal from Python's pty module),
against a real mgmtd and wpexampled: `?` lists help and gives the line
back, TAB completes, abbreviations run, the prompt follows the modes, a
bad word gets its precise error under a caret, `do` runs exec commands,
pipes, the transactional mode asks before leaving with changes, Ctrl-C
drops a line, and the history is saved at exit."""

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vtyshlab  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r|\x07")


class Term:
    """vtysh in a pseudo-terminal, 80x24."""

    def __init__(self, lab, **env):
        self.buf = ""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            env = dict(lab.env, TERM="xterm", **env)
            os.execve(vtyshlab.VTYSH, [vtyshlab.VTYSH, "--rundir", lab.dir],
                      env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ,
                    struct.pack("HHHH", 24, 80, 0, 0))

    def read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        self.buf += data.decode(errors="replace")
        return bool(data)

    def expect(self, pattern, deadline=10.0):
        """Wait until `pattern` (a regex) shows in the output since the
        last match (escape sequences removed: what the line editor redraws
        in place reads as plain text); returns the text up to and
        including it."""
        rx = re.compile(pattern, re.S)
        end = time.monotonic() + deadline
        while True:
            clean = ANSI.sub("", self.buf)
            m = rx.search(clean)
            if m:
                self.buf = clean[m.end():]
                return clean[:m.end()]
            left = end - time.monotonic()
            if left <= 0 or (not self.read(min(left, 0.2)) and
                             self.exited()):
                raise AssertionError("no %r in output:\n%s" %
                                     (pattern, clean))

    def send(self, text, editor=True):
        """Type `text` once the line editor reads keys one by one (keys
        typed while the terminal is still in canonical mode would be
        taken by the kernel's line discipline: ^D, ^U); with `editor`
        false, once a plain line is read (the answer to a question)."""
        vtyshlab.wait_until(lambda: self.exited() or editor != bool(
            termios.tcgetattr(self.fd)[3] & termios.ICANON),
            "the terminal mode")
        os.write(self.fd, text.encode())

    def answer(self, text, then):
        self.send(text + "\n", editor=False)
        return self.expect(then)

    def line(self, text, then):
        """Type a line; wait for `then`; returns the output."""
        self.send(text + "\n")
        return self.expect(then)

    def exited(self):
        if getattr(self, "status", None) is not None:
            return True
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:
            return False
        self.status = status
        return True

    def wait(self, deadline=10.0):
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            self.read(0.05)
            if getattr(self, "status", None) is not None or self.exited():
                while self.read(0.05):
                    pass
                code = os.waitstatus_to_exitcode(self.status)
                assert code == 0, "vtysh exited with %d:\n%s" % (
                    code, ANSI.sub("", self.buf))
                return code
        raise AssertionError("vtysh did not exit:\n" + self.buf)

    def close(self):
        if getattr(self, "status", None) is None and not self.exited():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


EXEC = r"r1# $"
CONFIG = r"r1\(config\)# $"
CONFIG_IF = r"r1\(config-if\)# $"
CONFIG_ROUTER = r"r1\(config-router\)# $"


def session(lab, **env):
    lab.ok("configure terminal", "hostname r1")
    t = Term(lab, **env)
    t.expect(EXEC)
    return t


def test_help_and_completion(lab):
    t = session(lab)
    try:
        t.line("terminal length 0", EXEC)
        # `?` lists what may come next, then gives the line back.
        t.send("?")
        out = t.expect(EXEC)
        assert re.search(r"^  configure +Enter configuration mode$", out,
                         re.M), out
        assert re.search(r"^  show +Show running system", out, re.M), out
        # The union of the trees: vtysh's, mgmtd's and wpexampled's.
        t.send("show ?")
        out = t.expect(r"r1# show $")
        for word in ("daemons", "example", "mgmt", "running-config",
                     "version"):
            assert re.search(r"^  %s " % word, out, re.M), out
        t.send("\x15")			# Ctrl-U: drop the line
        # Help for a partial word, on the line typed so far.
        t.send("sh ex?")
        t.expect(r"\n  example +Example items\nr1# sh ex$")
        t.send("\x15")
        # TAB completes a unique prefix.
        t.send("conf\t")
        t.expect(r"configure $")
        t.send("t\t")
        t.expect(r"terminal $")
        t.line("", CONFIG)
        t.line("end", EXEC)
        # Abbreviations run.
        out = t.line("sh ver", EXEC)
        assert "Waypoint" in out and "wpexampled" in out, out
        out = t.line("sh ex", EXEC)
        assert re.search(r"^alpha +up ", out, re.M), out
        t.line("exit", r"")
        assert t.wait() == 0
    finally:
        t.close()


def test_modes_and_errors(lab):
    t = session(lab)
    try:
        t.line("configure terminal", CONFIG)
        t.line("interface eth1", CONFIG_IF)
        t.line("ip address 10.0.0.1/24", CONFIG_IF)
        out = t.line("mtu 50", CONFIG_IF)
        assert "% 50 is out of range for mtu (68-65535)" in out, out
        # `?` in a sub-mode: the engine's commands and vtysh's.
        t.send("?")
        out = t.expect(CONFIG_IF)
        for word in ("mtu", "shutdown", "do", "commit"):
            assert re.search(r"^  %s " % word, out, re.M), out
        t.line("exit", CONFIG)
        t.line("router bgp 65001", CONFIG_ROUTER)
        out = t.line("neighbor 10.0.0.2 remot-as 65002", CONFIG_ROUTER)
        # The caret stands under the bad word.
        m = re.search(r"\n( *)\^\n% Invalid input at 'remot-as': did you "
                      r"mean 'remote-as'\?\n", out)
        assert m, out
        assert len(m.group(1)) == len("r1(config-router)# neighbor "
                                      "10.0.0.2 "), out
        out = t.line("neighbor 10.0.0.300 remote-as 65002", CONFIG_ROUTER)
        assert "% 10.0.0.300 is not a valid IPv4 address" in out, out
        t.line("neighbor 10.0.0.2 remote-as 65002", CONFIG_ROUTER)
        # A line whose commit is refused does not move the prompt.
        t.line("exit", CONFIG)
        out = t.line("router bgp 65009", CONFIG)
        assert 'Too many "instance" instances' in out, out
        t.line("router bgp 65001", CONFIG_ROUTER)
        # do: an exec command from a configuration mode, pipes included.
        out = t.line("do show running-config | include remote-as",
                     CONFIG_ROUTER)
        assert " neighbor 10.0.0.2 remote-as 65002\n" in out, out
        t.line("end", EXEC)
        out = t.line("sh run | include ^ ip address", EXEC)
        assert " ip address 10.0.0.1/24\n" in out, out
        t.line("quit", r"")
        assert t.wait() == 0
    finally:
        t.close()


def test_private_end_asks(lab):
    t = session(lab)
    try:
        t.line("configure private", CONFIG)
        t.line("hostname r2", CONFIG)
        out = t.line("show configuration diff", CONFIG)
        assert "- hostname r1\n+ hostname r2\n" in out, out
        # end with changes asks; the default (cancel) stays.
        t.line("end", r"\(yes/no/cancel\)\? \[cancel\]: $")
        t.answer("", CONFIG)
        t.line("end", r"\[cancel\]: $")
        t.answer("no", EXEC)
        assert "hostname r1\n" in lab.running()
        t.line("configure private", CONFIG)
        t.line("hostname r2", CONFIG)
        t.line("end", r"\[cancel\]: $")
        # yes commits; the prompt takes the new host name.
        t.answer("yes", r"r2# $")
        assert "hostname r2\n" in lab.running()
        t.line("exit", r"")
        assert t.wait() == 0
    finally:
        t.close()


def test_ctrl_c_and_history(lab):
    t = session(lab)
    try:
        t.line("show version", EXEC)
        t.send("show garbage")
        t.expect(r"show garbage$")
        t.send("\x03")
        t.expect(EXEC)
        # Ctrl-D leaves the configuration mode, then the shell.
        t.line("configure terminal", CONFIG)
        t.send("\x04")
        t.expect(EXEC)
        t.send("\x04")
        assert t.wait() == 0
    finally:
        t.close()
    with open(os.path.join(lab.dir, ".history_waypoint")) as f:
        hist = f.read().replace("\\040", " ")	# libedit's encoding
    assert "show version" in hist and "garbage" not in hist, hist


def test_pager(lab):
    lab.ok("configure terminal", "interface eth1", "mtu 1500", "exit",
           "interface eth2", "mtu 1500", "exit", "interface eth3",
           "mtu 1500")
    t = session(lab, VTYSH_PAGER="sed -e s/^/paged:/")
    try:
        t.line("terminal length 6", EXEC)
        out = t.line("show running-config", EXEC)
        assert "paged:interface eth3\n" in out, out
        # Shorter than a page: printed as it is.
        out = t.line("show running-config | include eth2", EXEC)
        assert "\ninterface eth2\n" in out, out
        t.line("terminal length 0", EXEC)
        out = t.line("show running-config", EXEC)
        assert "\ninterface eth3\n" in out and "paged:" not in out, out
        t.line("exit", r"")
        assert t.wait() == 0
    finally:
        t.close()


if __name__ == "__main__":
    sys.exit(vtyshlab.run([
        test_help_and_completion, test_modes_and_errors,
        test_private_end_asks, test_ctrl_c_and_history, test_pager,
    ]))
