#!/usr/bin/env python3
"""vtysh without a terminal, against a real mgmtd and wpexampled: -c
(show commands, configuration committed line by line, the first failure
stops the script), -f (one commit: a bad line or a broken constraint
changes nothing), -b and write memory, the transactional mode refusing to
end with changes, pipes, show running-config DAEMON, lines on stdin.
Every vtysh run is checked for leaks (WP_LEAK_CHECK=1)."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vtyshlab  # noqa: E402


def test_c_show(lab):
    out = lab.ok("show version")
    assert "Waypoint" in out and "wpexampled" in out, out
    out = lab.ok("sh ex")
    assert "alpha" in out and "gamma" in out, out
    out = lab.ok("show daemons")
    lines = [l.split() for l in out.splitlines()]
    assert ["mgmtd", "up"] in [l[:2] for l in lines], out
    assert ["wpexampled", "up"] in [l[:2] for l in lines], out


def test_c_errors(lab):
    rc, out, err = lab.cmds("shwo version")
    assert rc == 1
    assert err == "% Invalid input at 'shwo': did you mean 'show'?\n", err
    rc, out, err = lab.cmds("sh m")
    assert rc == 1 and "% Ambiguous command: 'm' may be memory, mgmt" in err


def test_c_configure(lab):
    lab.ok("configure terminal", "hostname r1",
           "ip route 10.1.0.0/16 10.0.0.1", "interface eth1",
           " ip address 10.0.0.2/24", "exit", "end")
    run = lab.running()
    for line in ("hostname r1", "ip route 10.1.0.0/16 10.0.0.1",
                 "interface eth1", " ip address 10.0.0.2/24"):
        assert line + "\n" in run, run
    # One commit per line, as FRR's vtysh applies them.
    hist = lab.ok("show configuration history")
    assert len([l for l in hist.splitlines() if "vtysh" in l]) == 4, hist
    # The last nexthop takes its route along.
    lab.ok("conf t", "no ip route 10.1.0.0/16 10.0.0.1")
    assert "ip route" not in lab.running()
    out = lab.ok("show configuration running json")
    assert "static-routes" not in out, out


def test_c_prefix_list_without_seq(lab):
    """`ip prefix-list NAME permit ...` without seq: the next multiple of
    5 above the list's highest in the candidate, as in FRR."""
    lab.ok("conf t", "ip prefix-list PLX permit 10.0.0.0/8",
           "ip prefix-list PLX seq 12 deny 10.9.0.0/16",
           "ip prefix-list PLX permit 10.1.0.0/16 le 24",
           "ip prefix-list PLY deny any")
    run = lab.running()
    for line in ("ip prefix-list PLX seq 5 permit 10.0.0.0/8",
                 "ip prefix-list PLX seq 12 deny 10.9.0.0/16",
                 "ip prefix-list PLX seq 15 permit 10.1.0.0/16 le 24",
                 "ip prefix-list PLY seq 5 deny any"):
        assert line + "\n" in run, run
    # Uncommitted entries count: numbered from the private candidate.
    lab.ok("configure private", "ip prefix-list PLZ permit 10.0.0.0/8",
           "ip prefix-list PLZ permit 10.1.0.0/16", "commit", "end")
    run = lab.running()
    assert "ip prefix-list PLZ seq 5 permit 10.0.0.0/8\n" in run, run
    assert "ip prefix-list PLZ seq 10 permit 10.1.0.0/16\n" in run, run
    # Removing takes the seq.
    rc, out, err = lab.cmds("conf t", "no ip prefix-list PLX permit any")
    assert rc == 1 and "% Invalid input at 'permit'" in err, err
    lab.ok("conf t", "no ip prefix-list PLX", "no ip prefix-list PLY",
           "no ip prefix-list PLZ")
    assert "prefix-list" not in lab.running()


def test_c_stops_at_failure(lab):
    rc, out, err = lab.cmds("conf t", "interface eth0", "mtu 50",
                            "hostname never")
    assert rc == 1
    assert "% 50 is out of range for mtu (68-65535)" in err, err
    run = lab.running()
    assert "never" not in run and "mtu" not in run, run
    rc, out, err = lab.cmds("conf t", "router bgp 1",
                            "neighbor 10.0.0.2 remot-as 2")
    assert rc == 1
    assert "% Invalid input at 'remot-as': did you mean 'remote-as'?" in err
    rc, out, err = lab.cmds("conf t", "ip route 10.0.0.300/8 eth0")
    assert rc == 1
    assert "% 10.0.0.300/8 is not a valid IPv4 prefix" in err, err


def test_f_bad_line_changes_nothing(lab):
    lab.ok("conf t", "hostname r1", "interface eth1", "mtu 1500")
    before = lab.ok("show running-config json")
    path = lab.file("bad.conf", "interface eth2\n"
                    " mtu 9000\n"
                    "exit\n"
                    "ip route 192.168.0.0/16 10.0.0.1\n"
                    "router bgp 1\n"
                    " neighbor 10.0.0.9 remot-as 3\n")
    rc, out, err = lab.vtysh("-f", path)
    assert rc == 1
    assert ("%s:6: %% Invalid input at 'remot-as': did you mean "
            "'remote-as'?" % path) in err, err
    assert "not applied; nothing was changed" in err, err
    assert lab.ok("show running-config json") == before


def test_f_constraint_changes_nothing(lab):
    before = lab.ok("show running-config json")
    path = lab.file("leafref.conf", "interface eth2\n"
                    " mtu 9000\n"
                    "exit\n"
                    "router bgp 1\n"
                    " address-family ipv4 unicast\n"
                    "  neighbor 10.0.0.11 activate\n")
    rc, out, err = lab.vtysh("-f", path)
    assert rc == 1
    assert "%s:6: %% /waypoint-bgp:bgp" % path in err, err
    assert "leafref" in err, err
    assert lab.ok("show running-config json") == before


def test_f_good_file_one_commit(lab):
    lab.ok("conf t", "ip route 10.9.0.0/16 10.0.0.1", "interface eth1",
           "mtu 1500")
    n = len(json.loads(lab.ok("show configuration history json"))
            ["commits"])
    path = lab.file("good.conf", "! a change set\n"
                    "hostname edge1\n"
                    "no ip route 10.9.0.0/16 10.0.0.1\n"
                    "interface eth1\n"
                    " no mtu\n"
                    " ip address 10.0.0.1/24\n"
                    "exit\n"
                    "router bgp 65001\n"
                    " neighbor 10.0.0.2 remote-as 65002\n")
    rc, out, err = lab.vtysh("-f", path)
    assert rc == 0, err
    run = lab.running()
    assert "hostname edge1\n" in run, run
    assert " ip address 10.0.0.1/24\n" in run, run
    assert " neighbor 10.0.0.2 remote-as 65002\n" in run, run
    assert "10.9.0.0/16" not in run and "mtu" not in run, run
    after = json.loads(lab.ok("show configuration history json"))
    assert len(after["commits"]) == n + 1
    assert after["commits"][0]["comment"] == "vtysh -f " + path


def test_private_mode(lab):
    lab.ok("conf t", "hostname r1")
    rc, out, err = lab.cmds("configure private", "hostname r2",
                            "show configuration diff", "end")
    assert rc == 1
    assert "- hostname r1\n+ hostname r2\n" in out, out
    assert "% Uncommitted changes: commit or discard them first" in err
    assert "hostname r1\n" in lab.running()
    out = lab.ok("configure private", "hostname r2", "interface eth3",
                 "mtu 9000", "exit", "commit check", "discard",
                 "hostname r3", "commit comment from the test", "end")
    assert "Configuration check passed" in out, out
    run = lab.running()
    assert "hostname r3\n" in run and "eth3" not in run, run
    assert "from the test" in lab.ok("show configuration history")


def test_exclusive_locks_others(lab):
    # A session in `configure exclusive` holds running: other sessions'
    # commits are refused until it leaves.
    p = subprocess.Popen([vtyshlab.VTYSH, "--rundir", lab.dir],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=lab.env)
    try:
        p.stdin.write("configure exclusive\n")
        p.stdin.flush()
        vtyshlab.wait_until(lambda: json.loads(lab.ok(
            "show mgmt json"))["runningLockSession"] != 0, "the lock")
        rc, out, err = lab.cmds("conf t", "hostname other")
        assert rc == 1 and "locked" in err, err
        out, err = p.communicate("hostname mine\ncommit\nend\n",
                                 timeout=30)
        assert p.returncode == 0, err
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert "hostname mine\n" in lab.running()
    assert json.loads(lab.ok("show mgmt json"))["runningLockSession"] == 0
    lab.ok("conf t", "hostname other")


def test_write_and_boot(lab):
    lab.ok("conf t", "hostname saved", "interface eth1", "mtu 1400")
    out = lab.ok("write memory")
    assert "[OK]" in out, out
    lab.ok("conf t", "hostname changed", "no interface eth1",
           "ip route 10.0.0.0/8 eth9")
    rc, out, err = lab.vtysh("-b")
    assert rc == 0, err
    run = lab.running()
    assert "hostname saved\n" in run and " mtu 1400\n" in run, run
    assert "ip route" not in run, run


def test_pipes(lab):
    lab.ok("conf t", "hostname r1", "interface eth1", "mtu 1500")
    assert lab.ok("show running-config | include ^hostname") == \
        "hostname r1\n"
    out = lab.ok("sh ex | js")
    assert json.loads(out)["items"][0]["name"] == "alpha"
    out = lab.ok("show running-config | json | include mtu")
    assert out.strip() == '"mtu": 1500', out
    assert lab.ok("sh ex | count").strip() == "4"
    rc, out, err = lab.cmds("configure terminal | json")
    assert rc == 1 and "does not apply" in err, err


def test_running_per_daemon(lab):
    lab.ok("conf t", "interface eth1", "mtu 1500", "exit",
           "router bgp 1", "bgp router-id 10.0.0.1")
    rib = lab.ok("show running-config ribd")
    assert "interface eth1\n" in rib and "router bgp" not in rib, rib
    bgp = lab.ok("show running-config bgpd")
    assert "router bgp 1\n" in bgp and "interface" not in bgp, bgp
    rc, out, err = lab.cmds("show running-config nosuchd")
    assert rc == 1 and "Unknown daemon or module 'nosuchd'" in err


def test_stdin_script(lab):
    rc, out, err = lab.vtysh(stdin="configure terminal\n"
                             "hostname piped\n"
                             "end\n"
                             "show running-config\n")
    assert rc == 0, err
    assert "hostname piped\n" in out, out


def test_config_mode_show(lab):
    # show in a configuration mode runs as in exec mode; do runs anything.
    out = lab.ok("conf t", "show example", "interface eth1", "do sh ex",
                 "do show running-config | include ^interface")
    assert out.count("alpha") == 2, out
    assert out.endswith("interface eth1\n"), out


def test_commit_confirmed(lab):
    out = lab.ok("configure private", "hostname trial",
                 "commit confirmed 5", "end")
    mg = json.loads(lab.ok("show mgmt json"))
    assert mg["confirmPending"], (out, mg)
    assert "hostname trial\n" in lab.running()
    # Any later commit confirms it.
    out = lab.ok("configure private", "commit", "end")
    assert "confirmed" in out.lower(), out
    assert not json.loads(lab.ok("show mgmt json"))["confirmPending"]


def test_mgmtd_down(lab):
    lab.procs[0].terminate()
    lab.procs[0].wait(timeout=10)
    out = lab.ok("sh ex")
    assert "alpha" in out, out
    out = lab.ok("show daemons")
    assert "wpexampled" in out and "mgmtd" not in out, out
    rc, out, err = lab.cmds("configure terminal")
    assert rc == 1 and "% Cannot reach mgmtd" in err, err
    rc, out, err = lab.cmds("show running-config")
    assert rc == 1 and "% Cannot reach mgmtd" in err, err


def test_pathspace(lab):
    inner = os.path.join(lab.dir, "ps1")
    lab.start("mgmtd-ps1", [vtyshlab.MGMTD, "--rundir", lab.dir,
                            "-N", "ps1", "-f",
                            os.path.join(inner, "waypoint.conf"),
                            "--yang-path", vtyshlab.YANG,
                            "--state-dir", os.path.join(lab.dir, "ps1-state")])
    vtyshlab.wait_until(lambda: vtyshlab.answers(
        os.path.join(inner, "mgmtd.sock")), "ps1/mgmtd.sock")
    rc, out, err = lab.vtysh("-N", "ps1", "-c", "conf t", "-c",
                             "hostname inner")
    assert rc == 0, err
    rc, out, err = lab.vtysh("--pathspace", "ps1", "-c", "show daemons")
    assert rc == 0 and "mgmtd" in out and "wpexampled" not in out, out
    rc, out, err = lab.vtysh("-N", "ps1", "-c", "show running-config")
    assert "hostname inner\n" in out, out
    assert "inner" not in lab.running()
    rc, out, err = lab.vtysh("-N", "../x", "-c", "show version")
    assert rc == 2 and "bad pathspace" in err, err


def test_mgmtd_restart(lab):
    # A long-lived vtysh carries on when mgmtd restarts under it.
    p = subprocess.Popen([vtyshlab.VTYSH, "--rundir", lab.dir],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=lab.env)
    try:
        p.stdin.write("configure terminal\nhostname before\nend\n")
        p.stdin.flush()
        vtyshlab.wait_until(lambda: "hostname before" in lab.running(),
                            "the first commit")
        mgmtd = lab.procs.pop(0)
        mgmtd.terminate()
        mgmtd.wait(timeout=10)
        lab.start("mgmtd", [vtyshlab.MGMTD, "--rundir", lab.dir,
                            "-f", os.path.join(lab.dir, "waypoint.conf"),
                            "--yang-path", vtyshlab.YANG,
                            "--state-dir", os.path.join(lab.dir, "state")])
        vtyshlab.wait_until(lambda: vtyshlab.answers(
            os.path.join(lab.dir, "mgmtd.sock")), "mgmtd again")
        out, err = p.communicate("show running-config\n"
                                 "configure terminal\n"
                                 "hostname after\n"
                                 "end\n", timeout=30)
        assert p.returncode == 0, err
        assert err == "", err
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert "hostname after\n" in lab.running()


if __name__ == "__main__":
    sys.exit(vtyshlab.run([
        test_c_show, test_c_errors, test_c_configure,
        test_c_prefix_list_without_seq, test_c_stops_at_failure, test_f_bad_line_changes_nothing,
        test_f_constraint_changes_nothing, test_f_good_file_one_commit,
        test_private_mode, test_exclusive_locks_others, test_write_and_boot,
        test_pipes, test_running_per_daemon, test_stdin_script,
        test_config_mode_show, test_commit_confirmed, test_mgmtd_down,
        test_pathspace, test_mgmtd_restart,
    ]))
