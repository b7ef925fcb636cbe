"""A real mgmtd and a daemon answering show commands (wpexampled) in a
temporary run directory, and vtysh pointed at them: what check_batch.py
and check_pty.py drive.  Polls with deadlines, never sleeps blindly.

Environment (set by `make check`, tests/subdir.am): WP_TOP_BUILDDIR,
WP_TOP_SRCDIR; WP_VTYSH names another vtysh binary to test (a readline
build, say).  Run by hand from the build directory:
    WP_TOP_BUILDDIR=$PWD WP_TOP_SRCDIR=$PWD/.. python3 ../tests/unit/vtysh/check_batch.py
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback

BUILD = os.environ.get("WP_TOP_BUILDDIR", os.getcwd())
SRC = os.environ.get("WP_TOP_SRCDIR", os.path.join(BUILD, ".."))
VTYSH = os.environ.get("WP_VTYSH", os.path.join(BUILD, "vtysh", "vtysh"))
MGMTD = os.path.join(BUILD, "daemons", "mgmtd", "mgmtd")
EXAMPLED = os.path.join(BUILD, "tools", "wpexampled", "wpexampled")
YANG = os.path.abspath(os.path.join(SRC, "yang"))


def wait_until(cond, what, deadline=10.0):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


def answers(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
        return True
    except OSError:
        return False
    finally:
        s.close()


class Lab:
    """mgmtd + wpexampled under one run directory."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="vtysh-test.")
        self.procs = []
        supp = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "lsan.supp")
        lsan = os.environ.get("LSAN_OPTIONS", "")
        self.env = dict(os.environ, WP_YANG_PATH=YANG, HOME=self.dir,
                        WP_LEAK_CHECK="1", VTYSH_PAGER="",
                        LSAN_OPTIONS=(lsan + ":" if lsan else "") +
                        "suppressions=" + supp)
        self.env.pop("VTYSH_HISTFILE", None)
        self.start("mgmtd", [MGMTD, "--rundir", self.dir,
                             "-f", os.path.join(self.dir, "waypoint.conf"),
                             "--yang-path", YANG,
                             "--state-dir", os.path.join(self.dir, "state")])
        self.start("wpexampled", [EXAMPLED, "--rundir", self.dir])
        for name in ("mgmtd.sock", "mgmtd.vty", "wpexampled.vty"):
            path = os.path.join(self.dir, name)
            wait_until(lambda: answers(path), name)

    def start(self, name, argv):
        log = os.path.join(self.dir, name + ".log")
        self.procs.append(subprocess.Popen(
            argv + ["-l", log], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def vtysh(self, *args, stdin=None):
        """Run vtysh; returns (exit status, stdout, stderr)."""
        p = subprocess.run([VTYSH, "--rundir", self.dir] + list(args),
                           input=stdin, capture_output=True, text=True,
                           env=self.env, timeout=60)
        return p.returncode, p.stdout, p.stderr

    def cmds(self, *lines):
        args = []
        for line in lines:
            args += ["-c", line]
        return self.vtysh(*args)

    def ok(self, *lines):
        rc, out, err = self.cmds(*lines)
        assert rc == 0, "%r: exit %d\n%s%s" % (lines, rc, out, err)
        return out

    def running(self):
        return self.ok("show running-config")

    def file(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def stop(self):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def run(tests):
    """Run test functions (each gets a fresh Lab); print Check's summary
    line so tools/run-tests counts them; return the exit status."""
    for prog in (VTYSH, MGMTD, EXAMPLED):
        if not os.access(prog, os.X_OK):
            print("SKIP: %s is not built" % prog)
            return 77
    failed = 0
    for t in tests:
        lab = Lab()
        try:
            t(lab)
            print("PASS: %s" % t.__name__)
        except Exception:
            failed += 1
            print("FAIL: %s" % t.__name__)
            traceback.print_exc(file=sys.stdout)
            for name in ("mgmtd.log", "wpexampled.log"):
                path = os.path.join(lab.dir, name)
                if os.path.exists(path):
                    with open(path) as f:
                        print("--- %s (tail)\n%s" % (name,
                              "".join(f.readlines()[-20:])))
        finally:
            lab.stop()
    n = len(tests)
    print("%d%%: Checks: %d, Failures: %d, Errors: 0" %
          ((n - failed) * 100 // n, n, failed))
    return 1 if failed else 0
