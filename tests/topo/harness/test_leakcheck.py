"""The harness's leak check, with stand-in daemons (root): Waypoint daemons
get WP_LEAK_CHECK=1, 'down' stops them with SIGTERM and collects the
"memory leak:" lines of their logs, the harness fails the test on them,
and diagnostics carry each node's show outputs.

    sudo /usr/bin/python3 -m pytest -v tests/topo/harness
"""

import os
import subprocess
import sys

import pytest

from lablib import state as stm
from lablib.harness import Lab, require_root

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
LABCTL = os.path.join(REPO, "tools", "labctl")

TOPO = """\
name: lk
topology:
  nodes:
    r1:
      kind: linux
      image: waypoint/waypoint:latest
      startup-config: r1.conf
    h1:
      kind: linux
  links:
    - endpoints: ["r1:eth1", "h1:eth1"]
"""

# Stand-in for a Waypoint daemon: --pathspace PS [-f CONF] -d -l LOG.
# Serves /run/waypoint/PS/<name>.vty; on SIGTERM writes what the real
# daemons write at exit (with LEAK set: a leak report) and exits as
# wp_daemon_main does (3 for a leak under WP_LEAK_CHECK=1).  STUBBORN
# makes it ignore SIGTERM.
FAKE = r'''#!/usr/bin/python3
import os, signal, socket, sys, time
name = os.path.basename(sys.argv[0])
args = sys.argv[1:]
opt = {args[i]: args[i + 1] for i in range(len(args) - 1)
       if args[i] in ("--pathspace", "-f", "-l")}
d = "/run/waypoint/" + opt["--pathspace"]
os.makedirs(d, exist_ok=True)
log = opt["-l"]
def say(msg):
    with open(log, "a") as f:
        f.write("%s[%d]: %s\n" % (name, os.getpid(), msg))
if os.fork():
    while not os.path.exists("%s/%s.vty" % (d, name)):
        time.sleep(0.01)
    sys.exit(0)
os.setsid()
say("started WP_LEAK_CHECK=%s" % os.environ.get("WP_LEAK_CHECK"))
def term(sig, frame):
    say("%s stopping" % name)
    rc = 0
    if os.environ.get("LEAK") == name:
        say("memory leak: RIB route: 2 allocations, 160 bytes")
        rc = 3 if os.environ.get("WP_LEAK_CHECK") == "1" else 0
    os.unlink("%s/%s.vty" % (d, name))
    os._exit(rc)
signal.signal(signal.SIGTERM,
              signal.SIG_IGN if os.environ.get("STUBBORN") == name else term)
s = socket.socket(socket.AF_UNIX)
s.bind("%s/%s.vty" % (d, name))
s.listen()
while True:
    time.sleep(1)
'''


@pytest.fixture
def fake_lab(tmp_path, monkeypatch):
    require_root()
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for name in ("mgmtd", "ribd"):
        p = bindir / name
        p.write_text(FAKE)
        p.chmod(0o755)
    monkeypatch.setenv("WAYPOINT_BINDIR", str(bindir))
    (tmp_path / "r1.conf").write_text("hostname r1\n")
    (tmp_path / "lk.clab.yml").write_text(TOPO)
    lab = Lab(str(tmp_path / "lk.clab.yml"))
    yield lab
    try:
        lab.down()
    finally:
        try:
            os.rmdir("/run/waypoint")   # made by the stand-ins
        except OSError:
            pass


def _log(lab, daemon):
    st = stm.load(lab.name)
    rec = [d for d in st["nodes"]["r1"]["daemons"] if d["name"] == daemon][0]
    with open(rec["log"]) as f:
        return f.read()


def test_clean_shutdown_reports_nothing(fake_lab):
    lab = fake_lab.up()
    assert "started WP_LEAK_CHECK=1" in _log(lab, "ribd")
    assert "started WP_LEAK_CHECK=1" in _log(lab, "mgmtd")
    assert lab.down() == []
    lab.check_shutdown()
    assert not os.path.exists("/run/waypoint/lk-r1")


def test_leak_is_reported_and_fails(fake_lab, monkeypatch):
    monkeypatch.setenv("LEAK", "ribd")
    lab = fake_lab.up()
    found = lab.down()
    assert found == ["node r1: ribd: memory leak: RIB route: 2 allocations, "
                     "160 bytes"]
    with pytest.raises(AssertionError) as ei:
        lab.check_shutdown()
    assert "daemons reported at shutdown" in str(ei.value)
    assert "node r1: ribd: memory leak" in str(ei.value)


def test_with_block_fails_on_leak(fake_lab, monkeypatch):
    monkeypatch.setenv("LEAK", "mgmtd")
    with pytest.raises(AssertionError) as ei:
        with fake_lab:
            pass
    assert "node r1: mgmtd: memory leak" in str(ei.value)


def test_leak_check_off(fake_lab, monkeypatch):
    """Lab(leak_check=False): the daemons run without WP_LEAK_CHECK and a
    leak is still listed, but does not fail."""
    monkeypatch.setenv("LEAK", "ribd")
    fake_lab.leak_check = False
    lab = fake_lab.up()
    assert "started WP_LEAK_CHECK=None" in _log(lab, "ribd")
    assert len(lab.down()) == 1
    lab.check_shutdown()


def test_stubborn_daemon_is_reported(fake_lab, monkeypatch):
    monkeypatch.setenv("STUBBORN", "ribd")
    monkeypatch.setattr("lablib.lab.STOP_TIMEOUT", 1.0)
    lab = fake_lab.up()
    found = lab.down()
    assert len(found) == 1
    assert found[0].startswith("node r1: ribd (pid ")
    assert "did not stop within 1 s of SIGTERM" in found[0]


def test_labctl_down_prints_leaks(fake_lab, monkeypatch):
    monkeypatch.setenv("LEAK", "ribd")
    fake_lab.up()
    cp = subprocess.run([sys.executable, LABCTL, "down", "lk"],
                        capture_output=True, text=True, timeout=60)
    assert cp.returncode == 0, cp.stderr
    assert "lab lk is down" in cp.stdout
    assert ("warning: node r1: ribd: memory leak: RIB route: 2 allocations, "
            "160 bytes") in cp.stderr


def test_diagnostics(fake_lab):
    """The failure report has each node's kernel state, each router's show
    outputs (here failing: the stand-ins accept and never answer) and the
    logs."""
    lab = fake_lab.up()
    text = lab.diagnostics()
    assert "======== lab lk: state at failure ========" in text
    assert "==> h1 (host): ip -br addr <==" in text
    assert "==> r1 (waypoint): ip route <==" in text
    assert "==> r1 (waypoint): show ip route <==" in text
    assert "==> r1 (waypoint): show interface <==" in text
    # a daemon that does not answer is asked once, not once per command
    assert "(failed: no answer to 'show ip route' within 5 s)" in text
    assert "(skipped: no answer to 'show ip route' within 5 s)" in text
    assert "==> r1 ribd.log <==" in text
    lab.down()
    assert "not up" in lab.diagnostics()
