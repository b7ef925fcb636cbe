"""ribd in network namespaces: interface configuration, static routes
(recursive, ECMP-free floating, blackhole, IPv6) in the kernel FIB, link
events, restart without a traffic hit, the sweep of unclaimed routes, and
kernel routes of other owners.  Topology: h1 - r1 - r2 - h2."""

import os
import signal
import subprocess
import threading

import pytest

from lablib import roles
from lablib import state as stm
from lablib.fixtures import lab_fixture
from lablib.harness import wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "static4")


def _need_ribd():
    find = roles.waypoint_bindir()
    if find is None or not find("ribd"):
        pytest.skip("ribd is not built")


# One lab for the module; diagnostics on failure, leak check at the end.
lab = lab_fixture(TOPO, requires=_need_ribd)


def routes(lab, node, family=4):
    return lab.wp_json(node, "show %s route" % ("ip" if family == 4
                                                 else "ipv6"))


def selected(lab, node, prefix, family=4):
    for r in routes(lab, node, family).get(prefix, []):
        if r["selected"]:
            return r
    return None


def test_interfaces_configured(lab):
    """ribd applied the interface addresses and descriptions."""
    def addrs(node, ifname):
        info = lab.json(node, "ip -j addr show dev " + ifname)[0]
        return {"%s/%d" % (a["local"], a["prefixlen"])
                for a in info["addr_info"]}
    wait_until(lambda: "10.0.12.1/24" in addrs("r1", "eth1"), timeout=10,
               what="r1 eth1 address")
    assert "2001:db8:12::1/64" in addrs("r1", "eth1")
    assert "10.255.0.1/32" in addrs("r1", "lo")
    ifs = {i["name"]: i for i in lab.wp_json("r1", "show interface")
           ["interfaces"]}
    assert ifs["eth1"]["description"] == "to r2"
    assert ifs["eth1"]["operStatus"] == "up"
    assert "10.0.12.1/24" in ifs["eth1"]["addresses"]


def test_static_routes_end_to_end(lab):
    """Hosts reach each other over static routes only, v4 and v6."""
    wait_until(lambda: lab.ping("h1", "10.2.0.10"), timeout=20,
               what="h1 reaches h2 over IPv4")
    wait_until(lambda: lab.ping("h1", "2001:db8:2::10"), timeout=20,
               what="h1 reaches h2 over IPv6")
    assert lab.has_route("r1", "10.2.0.0/24", via="10.0.12.2",
                         protocol="static")
    assert lab.has_route("r2", "10.1.0.0/24", via="10.0.12.1",
                         protocol="static")
    assert lab.has_route("r1", "2001:db8:2::/64", via="2001:db8:12::2")
    # ribd's own view agrees with the kernel.
    r = selected(lab, "r1", "10.2.0.0/24")
    assert r["protocol"] == "static" and r["installed"]
    assert r["nexthops"][0]["ip"] == "10.0.12.2"
    assert r["nexthops"][0]["interfaceName"] == "eth1"


def test_nexthop_objects_shared(lab):
    """Routes through the same gateway share one kernel nexthop object,
    including the recursive one; ECMP would use a group."""
    wait_until(lambda: lab.has_route("r1", "10.20.0.0/16", via="10.0.12.2"),
               timeout=10, what="recursive route in the FIB")
    nhg = lab.wp_json("r1", "show nexthop-group")
    if not nhg["kernelNexthopObjects"]:
        pytest.skip("kernel without nexthop objects: classic routes")
    ids = {r["dst"]: r.get("nhid") for r in lab.kernel_routes("r1")}
    assert ids["10.2.0.0/24"] is not None
    assert ids["10.2.0.0/24"] == ids["10.255.0.2"] == ids["10.20.0.0/16"]
    objs = {o["id"]: o for o in lab.json("r1", "ip -j nexthop show")}
    mine = objs[ids["10.2.0.0/24"]]
    assert mine["gateway"] == "10.0.12.2" and mine["dev"] == "eth1"
    row = [g for g in nhg["nexthopGroups"] if g["id"] == ids["10.2.0.0/24"]]
    assert row and row[0]["refCount"] >= 3


def test_recursive_blackhole_and_floating(lab):
    # 10.20.0.0/16 via 10.255.0.2, itself a static via 10.0.12.2.
    wait_until(lambda: lab.has_route("r1", "10.20.0.0/16", via="10.0.12.2"),
               timeout=10, what="recursive route resolved in the FIB")
    r = selected(lab, "r1", "10.20.0.0/16")
    assert r["nexthops"][0]["recursive"]
    assert r["nexthops"][0]["resolver"] == "10.255.0.2/32"
    bh = lab.route("r1", "192.0.2.0/24")
    assert bh is not None and bh.get("type") == "blackhole"
    # r2: two statics for 10.1.0.0/24, distance 1 wins over 200.
    cands = routes(lab, "r2")["10.1.0.0/24"]
    assert sorted(c["distance"] for c in cands) == [1, 200]
    win = [c for c in cands if c["selected"]]
    assert len(win) == 1 and win[0]["distance"] == 1
    # distance 250 is installed too (nothing better for 10.30/16).
    assert selected(lab, "r1", "10.30.0.0/16")["distance"] == 250
    summ = lab.wp_json("r1", "show ip route summary")
    kinds = {x["type"]: x for x in summ["routes"]}
    assert kinds["static"]["rib"] == 5 and kinds["static"]["fib"] == 5


def test_link_down_and_up(lab):
    """A cut link makes routes through it inactive; when it comes back,
    ribd reinstalls what the kernel flushed."""
    lab.exec("r1", "ip link set eth1 down")
    try:
        wait_until(lambda: not lab.has_route("r1", "10.2.0.0/24"),
                   timeout=10, what="route gone with its link")
        wait_until(lambda: selected(lab, "r1", "10.2.0.0/24") is None,
                   timeout=10, what="ribd deselects the route")
        r = routes(lab, "r1")["10.2.0.0/24"][0]
        assert r["nexthops"][0]["active"] is False
    finally:
        lab.exec("r1", "ip link set eth1 up")
    wait_until(lambda: lab.has_route("r1", "10.2.0.0/24", via="10.0.12.2",
                                     protocol="static"),
               timeout=15, what="route back after link up")
    wait_until(lambda: lab.has_route("r1", "10.20.0.0/16", via="10.0.12.2"),
               timeout=15, what="recursive route back after link up")
    wait_until(lambda: lab.ping("h1", "10.2.0.10"), timeout=15,
               what="h1 reaches h2 again")


def test_kernel_routes_are_learned_and_kept(lab):
    lab.exec("r1", "ip route add 10.99.0.0/16 via 10.0.12.2")
    wait_until(lambda: "10.99.0.0/16" in routes(lab, "r1"), timeout=10,
               what="ribd learns a kernel route")
    r = routes(lab, "r1")["10.99.0.0/16"][0]
    assert r["protocol"] == "kernel" and r["selected"]
    lab.exec("r1", "ip route del 10.99.0.0/16")
    wait_until(lambda: "10.99.0.0/16" not in routes(lab, "r1"), timeout=10,
               what="ribd forgets a removed kernel route")


def _ribd_record(lab, node):
    st = stm.load(lab.name)
    return [d for d in st["nodes"][node]["daemons"] if d["name"] == "ribd"][0]


def test_restart_keeps_routes_and_sweeps_unclaimed(lab, tmp_path):
    """ribd is killed (-9): its routes stay.  A new ribd whose config lacks one
    static takes the others over without removing them and sweeps the
    unclaimed one after the graceful-restart time.  The new ribd reads its
    file itself (-f, ribd without mgmtd): a bad line is reported with file
    and line, and the rest of the file still applies."""
    rec = _ribd_record(lab, "r1")
    pidfile = os.path.join(lab.state["nodes"]["r1"]["sockets"]["dir"]
                           if lab.state else "/run/waypoint/%s"
                           % lab.netns("r1"), "ribd.pid")
    with open(pidfile) as f:
        pid = int(f.read().split()[0])
    mon = subprocess.Popen(["ip", "netns", "exec", lab.netns("r1"), "ip",
                            "monitor", "route"], stdout=subprocess.PIPE,
                           text=True)
    lines = []

    def read():
        for line in mon.stdout:
            lines.append(line)
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not os.path.exists("/proc/%d" % pid) or
                   open("/proc/%d/stat" % pid).read().split()[2] == "Z",
                   timeout=10, what="ribd exits")
        # Routes outlive the daemon.
        assert lab.has_route("r1", "10.2.0.0/24", via="10.0.12.2")
        assert lab.has_route("r1", "10.30.0.0/16")
        conf = open(os.path.join(TOPO, "r1", "waypoint.conf")).read()
        conf = conf.replace("ip route 10.30.0.0/16 10.0.12.2 250\n",
                            "ip route 10.40.0.0/33 10.0.12.2\n")
        newconf = tmp_path / "r1.conf"
        newconf.write_text(conf)
        cmd = _with_conf(rec["cmd"], str(newconf))
        subprocess.run(["ip", "netns", "exec", lab.netns("r1")] + cmd,
                       check=True, timeout=30, capture_output=True)
        wait_until(lambda: not lab.has_route("r1", "10.30.0.0/16"),
                   timeout=15, what="unclaimed route swept")
        assert lab.has_route("r1", "10.2.0.0/24", via="10.0.12.2",
                             protocol="static")
        # A fence: once the monitor has printed a route added after all
        # of the above, it has printed everything before it too.
        fence = "198.51.100.99"
        subprocess.run(["ip", "-n", lab.netns("r1"), "route", "add",
                        "blackhole", fence + "/32"], check=True)
        wait_until(lambda: any(fence in l for l in lines),
                   timeout=10, what="ip monitor reports the fence route")
        subprocess.run(["ip", "-n", lab.netns("r1"), "route", "del",
                        "blackhole", fence + "/32"], check=True)
    finally:
        mon.terminate()
        mon.wait(timeout=5)
        reader.join(timeout=5)
    out = "\n".join(l for l in lines if fence not in l)
    deleted = [l for l in out.splitlines() if l.startswith("Deleted")]
    assert any("10.30.0.0/16" in l for l in deleted), out
    # No route that the new config still has was ever removed.
    assert not [l for l in deleted if "10.2.0.0/24" in l or
                "10.20.0.0/16" in l or "10.255.0.2" in l], deleted
    log = open(rec["log"]).read()
    assert ('r1.conf:%d: invalid prefix "10.40.0.0/33": prefix length 33 '
            'exceeds 32 for IPv4' % (conf.splitlines().index(
                "ip route 10.40.0.0/33 10.0.12.2") + 1)) in log
    assert lab.ping("h1", "10.2.0.10")


def _with_conf(cmd, conf):
    """CMD reading CONF itself (-f): ribd without mgmtd."""
    cmd = list(cmd)
    if "-f" in cmd:
        cmd[cmd.index("-f") + 1] = conf
    else:
        cmd += ["-f", conf]
    return cmd


def _restart_ribd(lab, node, env=None, conf=None):
    """Stop NODE's ribd and start it again (same arguments; optional
    environment and config file)."""
    rec = _ribd_record(lab, node)
    pidfile = "/run/waypoint/%s/ribd.pid" % lab.netns(node)
    with open(pidfile) as f:
        pid = int(f.read().split()[0])
    os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not os.path.exists("/proc/%d" % pid) or
               open("/proc/%d/stat" % pid).read().split()[2] == "Z",
               timeout=10, what="ribd exits")
    cmd = _with_conf(rec["cmd"], conf) if conf else list(rec["cmd"])
    full_env = dict(os.environ, **(env or {}))
    subprocess.run(["ip", "netns", "exec", lab.netns(node)] + cmd,
                   check=True, timeout=30, capture_output=True,
                   env=full_env)


def _ribd_pid(lab, node):
    with open("/run/waypoint/%s/ribd.pid" % lab.netns(node)) as f:
        return int(f.read().split()[0])


def test_file_statics_streamed_and_reloaded(lab, tmp_path):
    """ribd -f puts the file's statics into the RIB as it reads them: an
    ECMP route spread over two lines gets both paths, also when its
    second line names an interface (kept parsed, the first line's path
    moved with it).  kill -HUP re-reads the file: a route it dropped
    leaves the kernel, a path it dropped leaves its route, the rest
    stays."""
    base = open(os.path.join(TOPO, "r1", "waypoint.conf")).read()
    conf = tmp_path / "r1-reload.conf"
    conf.write_text(base +
                    "ip route 10.150.1.0/24 10.0.12.2\n"
                    "ip route 10.150.2.0/24 10.0.12.2\n"
                    "ip route 10.150.2.0/24 10.1.0.10\n"
                    "ip route 10.150.3.0/24 10.0.12.2\n"
                    "ip route 10.150.3.0/24 10.1.0.10 eth2\n")
    _restart_ribd(lab, "r1", conf=str(conf))
    both = ("10.0.12.2", "10.1.0.10")
    try:
        wait_until(lambda: lab.has_route("r1", "10.150.1.0/24",
                                         via="10.0.12.2", protocol="static")
                   and all(lab.has_route("r1", p, via=g)
                           for p in ("10.150.2.0/24", "10.150.3.0/24")
                           for g in both),
                   timeout=15, what="the file's statics installed")
        conf.write_text(base +
                        "ip route 10.150.2.0/24 10.1.0.10\n"
                        "ip route 10.150.3.0/24 10.0.12.2\n")
        os.kill(_ribd_pid(lab, "r1"), signal.SIGHUP)
        wait_until(lambda: not lab.has_route("r1", "10.150.1.0/24") and
                   not lab.has_route("r1", "10.150.2.0/24",
                                     via="10.0.12.2") and
                   not lab.has_route("r1", "10.150.3.0/24",
                                     via="10.1.0.10"),
                   timeout=15, what="the dropped routes and paths removed")
        assert lab.has_route("r1", "10.150.2.0/24", via="10.1.0.10",
                             protocol="static")
        assert lab.has_route("r1", "10.150.3.0/24", via="10.0.12.2",
                             protocol="static")
        assert lab.has_route("r1", "10.2.0.0/24", via="10.0.12.2",
                             protocol="static")
    finally:
        _restart_ribd(lab, "r1")
    wait_until(lambda: not lab.has_route("r1", "10.150.2.0/24") and
               not lab.has_route("r1", "10.150.3.0/24"),
               timeout=15, what="the test's routes gone with the lab's ribd")


def test_event_overflow_resync(lab, tmp_path):
    """A burst of external route changes overruns a deliberately tiny
    netlink event buffer (ENOBUFS).  ribd resynchronises from a full dump
    and ends in agreement with the kernel: every surviving route known,
    no ghost of a deleted one."""
    _restart_ribd(lab, "r1", env={"RIBD_TEST_EVENT_RCVBUF": "4096"})
    add = tmp_path / "add.batch"
    add.write_text("".join("route add 10.%d.%d.0/24 via 10.0.12.%d\n"
                           % (100 + i // 250, i % 250, 2 + i % 5)
                           for i in range(3000)))
    dele = tmp_path / "del.batch"
    dele.write_text("".join("route del 10.%d.%d.0/24\n"
                            % (100 + i // 250, i % 250)
                            for i in range(0, 3000, 2)))
    with open("/run/waypoint/%s/ribd.pid" % lab.netns("r1")) as f:
        pid = int(f.read().split()[0])
    try:
        # ribd frozen while the burst lands: the 4 KiB buffer overflows
        # for certain, not only when the machine is slow.
        os.kill(pid, signal.SIGSTOP)
        try:
            lab.exec("r1", ["ip", "-batch", str(add)])
            lab.exec("r1", ["ip", "-batch", str(dele)])
        finally:
            os.kill(pid, signal.SIGCONT)

        def kernel_count():
            for row in lab.wp_json("r1", "show rib summary")["sources"]:
                if row["family"] == "ipv4" and row["source"] == "kernel":
                    return row["routes"]
            return 0
        wait_until(lambda: kernel_count() == 1500, timeout=20,
                   what="ribd knows exactly the 1500 surviving routes")
        audit = lab.wp_json("r1", "show rib-vs-kernel")
        assert audit["differences"] == 0, audit
        stats = lab.wp_json("r1", "show rib statistics")
        # The test only proves something if the overrun happened.
        assert stats["kernel"]["resyncs"] >= 1, stats
    finally:
        lab.run("r1", "ip route flush proto boot")
        _restart_ribd(lab, "r1")
    wait_until(lambda: lab.ping("h1", "10.2.0.10"), timeout=15,
               what="forwarding intact after the resync test")


def test_own_echoes_filtered(lab, tmp_path):
    """ribd installs 3,000 static routes behind a deliberately tiny netlink
    event buffer.  The kernel's echoes of its own requests are dropped by
    the socket filter before they are queued, so the buffer never
    overflows and ribd never resyncs; a route of ours that someone else
    deletes still reaches ribd, which puts it back."""
    conf = open(os.path.join(TOPO, "r1", "waypoint.conf")).read()
    conf += "".join("ip route 10.%d.%d.0/24 10.0.12.2\n"
                    % (100 + i // 250, i % 250) for i in range(3000))
    # Sweep at once: a restarted ribd ignores deletions until then.
    conf += "rib graceful-restart-time 0\n"
    newconf = tmp_path / "r1-bulk.conf"
    newconf.write_text(conf)
    _restart_ribd(lab, "r1", env={"RIBD_TEST_EVENT_RCVBUF": "4096"},
                  conf=str(newconf))
    try:
        def installed():
            k = lab.wp_json("r1", "show rib statistics")["kernel"]
            return k["pending"] == 0 and k["acked"] >= 3000
        wait_until(installed, timeout=60, what="3,000 routes installed")
        got = lab.json("r1", "ip -j route show proto 196 "
                       "root 10.96.0.0/11")
        assert len(got) == 3000, len(got)
        stats = lab.wp_json("r1", "show rib statistics")
        k = stats["kernel"]
        assert k["resyncs"] == 0, k
        assert k["ownEchoesFiltered"] is True, k
        # Applied after the initial dump, the statics resolve on their
        # first pass through the work queue (about 3,000 on an idle
        # machine).  A late interface or address event requeues the
        # routes through that gateway once more, so a loaded machine sees
        # about twice that: the bound catches a storm of passes per
        # route, not the one extra pass.
        assert stats["destsProcessed"] < 3000 * 4, stats
        # Someone else's deletion of our route is not an echo.
        lab.exec("r1", "ip route del 10.105.7.0/24")
        wait_until(lambda: lab.has_route("r1", "10.105.7.0/24",
                                         via="10.0.12.2", protocol="static"),
                   timeout=15, what="deleted route of ours reinstalled")
        assert lab.wp_json("r1", "show rib statistics")["kernel"][
            "resyncs"] == 0
    finally:
        _restart_ribd(lab, "r1")
        lab.run("r1", "ip route flush proto 196 root 10.96.0.0/11")
    wait_until(lambda: lab.ping("h1", "10.2.0.10"), timeout=15,
               what="forwarding intact after the bulk test")
