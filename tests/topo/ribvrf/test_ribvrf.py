"""ribd's VRFs against the real kernel, r1 - r2 (lab prefix rvrf).

Plain tables (every kernel has them): a client (tools/ribinject) puts
routes in table 100; they reach r1's kernel table 100 with ribd's
protocol and never the main table (IPv4 and IPv6); a redistribution
subscription in table 100 sees only that table's routes; a route another
program put in table 100 is learned as `kernel` in VRF table-100 and left
alone; ribd killed with SIGKILL and started again reclaims the client's
routes of table 100 without ever removing them and sweeps an unclaimed
one.  Static routes under `vrf NAME` without that device are pending.

VRF devices (`ip link add red type vrf table 10`) need the kernel's vrf
module: the tests that use one probe for it once and skip, with the
reason, where it is missing.
"""

import json
import os
import signal
import subprocess

import pytest

from lablib import roles
from lablib import state as stm
from lablib.harness import build_tool, module_lab, require_kernel, wait_until
from lablib.monitor import RouteMonitor

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "rvrf")
SCHEMA_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "doc",
                                           "schema"))

TABLE = 100
VRF = "table-%d" % TABLE
PREFIX = "10.80.0.0/16"       # ribinject's routes: 10.80.0.0/24 ...
COUNT = 5
NEXTHOP = "10.0.12.2"


def ribinject_path():
    return build_tool("ribinject")


@pytest.fixture(scope="module")
def lab():
    find = roles.waypoint_bindir()
    if find is None or not find("ribd") or ribinject_path() is None:
        pytest.skip("ribd or tools/ribinject is not built")
    yield from module_lab(TOPO)


def inject_cmd(lab, *args):
    rundir = lab.state["nodes"]["r1"]["sockets"]["dir"]
    return ["ip", "netns", "exec", lab.netns("r1"), ribinject_path(),
            "--rundir", rundir, "--json"] + list(args)


def inject(lab, *args, timeout=60):
    """ribinject in r1 against its ribd, to the end; its JSON lines."""
    cp = subprocess.run(inject_cmd(lab, *args), capture_output=True,
                        text=True, timeout=timeout)
    assert cp.returncode == 0, (cp.returncode, cp.stdout, cp.stderr)
    return [json.loads(line) for line in cp.stdout.splitlines()]


class Holder:
    """A ribinject that installs and stays connected until stop()."""

    def __init__(self, lab, *args):
        self.p = subprocess.Popen(inject_cmd(lab, "--hold", *args),
                                  stdout=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        assert line, "ribinject ended: %s" % self.p.wait(timeout=10)
        self.result = json.loads(line)

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        self.p.wait(timeout=10)


def table_routes(lab, table, protocol=None):
    return {r["dst"]: r for r in lab.kernel_routes("r1", 4, table)
            if protocol is None or r.get("protocol") == protocol}


def vrf_routes(lab, vrf):
    return lab.wp_json("r1", "show ip route vrf %s" % vrf)


def check_schema(doc, name):
    """DOC against doc/schema/NAME (skipped without python3-jsonschema)."""
    try:
        import jsonschema
    except ImportError:
        return
    with open(os.path.join(SCHEMA_DIR, name)) as f:
        jsonschema.validate(doc, json.load(f))


def ribd_record(lab):
    st = stm.load(lab.name)
    return [d for d in st["nodes"]["r1"]["daemons"]
            if d["name"] == "ribd"][0]


def ribd_pid(lab):
    return lab.wp_pid("r1", "ribd")


@pytest.fixture(scope="module")
def table100(lab):
    """Table 100 reaches r2 through eth1: a route another program put
    there, before ribd knows the table."""
    lab.exec("r1", "ip route add 10.0.12.0/24 dev eth1 table %d" % TABLE)
    yield
    lab.run("r1", "ip route flush table %d" % TABLE)


def test_table_routes_in_their_table_only(lab, table100):
    """Routes sent with table 100 are in kernel table 100 as bgp, not in
    main; the same prefixes sent for main by another client are installed
    there independently; `show ip route vrf table-100` has the first only,
    `show ip route` the second only."""
    held = Holder(lab, "--count", str(COUNT), "--prefix", PREFIX,
                  "--nexthop", NEXTHOP, "--source", "bgp", "--grace", "30",
                  "--table", str(TABLE))
    try:
        assert held.result["installed"] == COUNT, held.result
        t100 = table_routes(lab, TABLE, "bgp")
        assert "10.80.0.0/24" in t100 and "10.80.4.0/24" in t100, t100
        assert t100["10.80.0.0/24"]["gateway"] == NEXTHOP
        assert not any(d.startswith("10.80.") for d in
                       table_routes(lab, "main"))
        # The same prefixes in main from another client (other nexthop).
        out = inject(lab, "--count", "1", "--prefix", PREFIX,
                     "--nexthop", "10.0.22.2", "--source", "ospf",
                     "--distance", "110", "--grace", "30")
        assert out[0]["installed"] == 1, out
        main = table_routes(lab, "main", "ospf")
        assert main["10.80.0.0/24"]["gateway"] == "10.0.22.2"
        assert table_routes(lab, TABLE, "bgp")["10.80.0.0/24"][
            "gateway"] == NEXTHOP
        v = vrf_routes(lab, VRF)
        check_schema(v, "ribd-show-ip-route.json")
        r = v["10.80.0.0/24"][0]
        assert r["protocol"] == "bgp" and r["installed"] and \
            r["table"] == TABLE
        d = lab.wp_json("r1", "show ip route")
        assert [x["protocol"] for x in d["10.80.0.0/24"]] == ["ospf"]
        assert "10.80.1.0/24" not in d
        allv = lab.wp_json("r1", "show ip route vrf all")
        assert set(allv) >= {"default", VRF}
        assert "10.80.1.0/24" in allv[VRF] and \
            "10.80.1.0/24" not in allv["default"]
        doc = lab.wp_json("r1", "show vrf")
        check_schema(doc, "ribd-show-vrf.json")
        vrfs = {x["name"]: x for x in doc["vrfs"]}
        assert vrfs[VRF]["table"] == TABLE and not vrfs[VRF]["device"]
        assert vrfs["default"]["table"] == 254
        summ = lab.wp_json("r1", "show rib summary")
        assert VRF in summ["vrfs"] and "default" in summ["vrfs"]
        assert lab.wp_json("r1", "show rib-vs-kernel")["differences"] == 0
    finally:
        held.stop()
    # Withdrawn (their clients asked for 30 s of grace): table 100
    # empties of ours.
    inject(lab, "--count", str(COUNT), "--prefix", PREFIX, "--nexthop",
           NEXTHOP, "--source", "bgp", "--table", str(TABLE), "--withdraw")
    inject(lab, "--count", "1", "--prefix", PREFIX, "--nexthop",
           "10.0.22.2", "--source", "ospf", "--distance", "110",
           "--withdraw")
    wait_until(lambda: not table_routes(lab, TABLE, "bgp"), timeout=20,
               what="table 100 without routes of ours")


def test_ipv6_table_routes(lab):
    """IPv6 the same: routes for table 100 resolve through table 100's
    own route to the gateway's subnet and land in table 100 only."""
    lab.exec("r1", "ip -6 route add 2001:db8:12::/64 dev eth1 table %d"
             % TABLE)
    try:
        held = Holder(lab, "--count", "3", "--prefix", "2001:db8:80::/48",
                      "--plen", "64", "--nexthop", "2001:db8:12::2",
                      "--source", "bgp", "--table", str(TABLE))
        try:
            assert held.result["installed"] == 3, held.result
            t100 = {r["dst"]: r for r in lab.kernel_routes("r1", 6, TABLE)
                    if r.get("protocol") == "bgp"}
            assert "2001:db8:80::/64" in t100, t100
            assert t100["2001:db8:80::/64"]["gateway"] == "2001:db8:12::2"
            assert not any(r["dst"].startswith("2001:db8:80:") for r in
                           lab.kernel_routes("r1", 6, "main"))
            v6 = lab.wp_json("r1", "show ipv6 route vrf %s" % VRF)
            assert v6["2001:db8:80::/64"][0]["installed"]
            assert "2001:db8:12::/64" in v6     # the kernel's, learned
        finally:
            held.stop()
    finally:
        lab.run("r1", "ip -6 route flush table %d" % TABLE)


def test_redistribution_per_table(lab, table100):
    """A subscription in table 100 sees table 100's routes only; one in
    main sees none of them."""
    held = Holder(lab, "--count", str(COUNT), "--prefix", PREFIX,
                  "--nexthop", NEXTHOP, "--source", "bgp",
                  "--table", str(TABLE))
    try:
        out = inject(lab, "--redist", "bgp", "--prefix", "10.0.0.0/8",
                     "--source", "ospf", "--table", str(TABLE))
        assert out[0]["routes"] == COUNT, out
        assert {p["table"] for p in out[0]["prefixes"]} == {TABLE}
        out = inject(lab, "--redist", "bgp", "--prefix", "10.0.0.0/8",
                     "--source", "ospf")
        assert out[0]["routes"] == 0, out
    finally:
        held.stop()


def test_kernel_route_in_table_learned_and_kept(lab, table100):
    """Another program's route in table 100 is a `kernel` route of VRF
    table-100 (the VRF exists while the table is used); ribd leaves it in
    the kernel."""
    held = Holder(lab, "--count", "1", "--prefix", PREFIX, "--nexthop",
                  NEXTHOP, "--source", "bgp", "--table", str(TABLE))
    try:
        lab.exec("r1", "ip route add 10.90.0.0/16 via %s table %d"
                 % (NEXTHOP, TABLE))
        wait_until(lambda: "10.90.0.0/16" in vrf_routes(lab, VRF),
                   timeout=10, what="ribd learns 10.90.0.0/16 in table 100")
        r = vrf_routes(lab, VRF)["10.90.0.0/16"][0]
        assert r["protocol"] == "kernel" and r["selected"]
        assert "10.90.0.0/16" not in lab.wp_json("r1", "show ip route")
        assert lab.wp_json("r1", "show rib-vs-kernel")["differences"] == 0
        assert "10.90.0.0/16" in table_routes(lab, TABLE)
    finally:
        held.stop()
        lab.run("r1", "ip route del 10.90.0.0/16 table %d" % TABLE)


def test_restart_reclaims_and_sweeps_table_routes(lab, table100):
    """ribd killed with SIGKILL: the client's routes of table 100 stay in
    the kernel; a new ribd keeps them, the client (reconnecting) claims
    them again without their ever leaving the kernel, and a route of ours that
    nobody claims is swept after the graceful-restart time (3 s)."""
    held = Holder(lab, "--count", str(COUNT), "--prefix", PREFIX,
                  "--nexthop", NEXTHOP, "--source", "bgp", "--grace", "30",
                  "--table", str(TABLE))
    rec = ribd_record(lab)
    pid = ribd_pid(lab)
    mon = None
    try:
        assert held.result["installed"] == COUNT, held.result
        # A leftover of "ours" that no client will claim.
        lab.exec("r1", "ip route add 10.81.0.0/24 via %s table %d "
                 "proto bgp metric 20" % (NEXTHOP, TABLE))
        mon = RouteMonitor(lab, "r1")
        mon.start()
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not os.path.exists("/proc/%d" % pid) or
                   open("/proc/%d/stat" % pid).read().split()[2] == "Z",
                   timeout=10, what="ribd exits")
        assert len(table_routes(lab, TABLE, "bgp")) == COUNT + 1
        subprocess.run(["ip", "netns", "exec", lab.netns("r1")] +
                       list(rec["cmd"]), check=True, timeout=30,
                       capture_output=True)
        wait_until(lambda: "10.81.0.0/24" not in table_routes(lab, TABLE),
                   timeout=20, what="unclaimed route in table 100 swept")

        def claimed():
            v = vrf_routes(lab, VRF)
            return all(any(r["protocol"] == "bgp" and r["installed"]
                           for r in v.get("10.80.%d.0/24" % i, []))
                       for i in range(COUNT))
        wait_until(claimed, timeout=30, what="client's routes reclaimed")
        assert len(table_routes(lab, TABLE, "bgp")) == COUNT
    finally:
        changes = mon.stop() if mon else []
        held.stop()
        lab.run("r1", "ip route del 10.81.0.0/24 table %d" % TABLE)
    # Never removed (no traffic hit): at most replaced in place, onto the
    # new ribd's nexthop objects, as in the main table.
    deleted = [c for c in changes if c.startswith("Deleted") and
               "10.80." in c]
    assert deleted == [], deleted
    assert any("10.81.0.0/24" in str(c) for c in changes), changes[:10]


def test_vrf_statics_pending_without_device(lab):
    """Static routes under `vrf green` (no such device) are taken, shown
    as pending in `show vrf`, kept in the running configuration in FRR's
    form, installed nowhere; removed with `no vrf green`."""
    lab.wp_configure("r1", "vrf green", "ip route 10.61.0.0/16 10.0.22.2",
                     "ipv6 route 2001:db8:61::/48 blackhole", "exit-vrf")
    try:
        def green():
            return {x["name"]: x for x in
                    lab.wp_json("r1", "show vrf")["vrfs"]}.get("green")
        wait_until(lambda: green() and
                   green()["pendingStaticRoutes"] == 2,
                   timeout=10, what="vrf green's statics pending")
        assert not green()["device"] and "table" not in green()
        check_schema(lab.wp_json("r1", "show vrf"), "ribd-show-vrf.json")
        check_schema(lab.wp_json("r1", "show ip route vrf green"),
                     "ribd-show-ip-route.json")
        run = lab.wp_cmd("r1", "show running-config", daemon="mgmtd")
        assert ("vrf green\n ip route 10.61.0.0/16 10.0.22.2\n"
                " ipv6 route 2001:db8:61::/48 blackhole\nexit-vrf\n") in run
        assert "10.61.0.0/16" not in lab.wp_json("r1", "show ip route")
        r = lab.wp_json("r1", "show ip route vrf green")["10.61.0.0/16"][0]
        assert r["pending"] and not r["installed"] and \
            r["nexthops"][0]["ip"] == "10.0.22.2"
        assert "2001:db8:61::/48" in lab.wp_json(
            "r1", "show ipv6 route vrf all")["green"]
        assert not any(r["dst"] == "10.61.0.0/16" for r in
                       lab.kernel_routes("r1", 4, "all"))
    finally:
        lab.wp_configure("r1", "no vrf green")
    wait_until(lambda: "green" not in {
        x["name"] for x in lab.wp_json("r1", "show vrf")["vrfs"]},
        timeout=10, what="vrf green gone from show vrf")


# --- vrf devices: only where the kernel has them --------------------------

@pytest.fixture
def red(lab):
    """vrf red (table 10) with eth2 enslaved; removed after the test."""
    require_kernel("vrf")
    lab.exec("r1", "ip link add red type vrf table 10")
    lab.exec("r1", "ip link set red up")
    lab.exec("r1", "ip link set eth2 master red")
    yield
    lab.run("r1", "ip link set eth2 nomaster")
    lab.run("r1", "ip link del red")
    lab.run("r1", "ip link set eth2 up")


@pytest.mark.fullkernel
def test_vrf_device_connected_and_membership(lab, red):
    """eth2 in vrf red: its subnet is a connected route of VRF red, not of
    the default; `show vrf` and `show interface` say so; released, the
    subnet comes back to the default VRF."""
    wait_until(lambda: "10.0.22.0/24" in vrf_routes(lab, "red"),
               timeout=10, what="10.0.22.0/24 connected in vrf red")
    assert vrf_routes(lab, "red")["10.0.22.0/24"][0]["protocol"] == \
        "connected"
    assert "10.0.22.0/24" not in lab.wp_json("r1", "show ip route")
    vrfs = {x["name"]: x for x in lab.wp_json("r1", "show vrf")["vrfs"]}
    assert vrfs["red"]["table"] == 10 and vrfs["red"]["device"]
    assert "eth2" in vrfs["red"]["interfaces"]
    ifs = {i["name"]: i for i in
           lab.wp_json("r1", "show interface")["interfaces"]}
    assert ifs["eth2"]["vrf"] == "red" and ifs["eth1"]["vrf"] == "default"
    lab.exec("r1", "ip link set eth2 nomaster")
    lab.exec("r1", "ip link set eth2 up")
    wait_until(lambda: "10.0.22.0/24" in lab.wp_json("r1", "show ip route"),
               timeout=10, what="10.0.22.0/24 back in the default VRF")
    wait_until(lambda: "10.0.22.0/24" not in vrf_routes(lab, "red"),
               timeout=10, what="10.0.22.0/24 gone from vrf red")


@pytest.mark.fullkernel
def test_vrf_device_client_routes_and_removal(lab, red):
    """A client's routes with table 10 land in vrf red's table through
    eth2; the same prefix in main goes through eth1; deleting the vrf
    device takes the VRF's routes with it, the default's stay."""
    wait_until(lambda: "10.0.22.0/24" in vrf_routes(lab, "red"),
               timeout=10, what="10.0.22.0/24 connected in vrf red")
    held = Holder(lab, "--count", "1", "--prefix", "10.70.0.0/16",
                  "--nexthop", "10.0.22.2", "--source", "bgp",
                  "--table", "10")
    try:
        assert held.result["installed"] == 1, held.result
        out = inject(lab, "--count", "1", "--prefix", "10.70.0.0/16",
                     "--nexthop", NEXTHOP, "--source", "ospf", "--grace",
                     "30")
        assert out[0]["installed"] == 1, out
        assert table_routes(lab, 10, "bgp")["10.70.0.0/24"]["gateway"] \
            == "10.0.22.2"
        assert table_routes(lab, "main", "ospf")["10.70.0.0/24"][
            "gateway"] == NEXTHOP
        lab.exec("r1", "ip link del red")
        wait_until(lambda: "red" not in {
            x["name"] for x in lab.wp_json("r1", "show vrf")["vrfs"]} or
            not vrf_routes(lab, "table-10").get("10.0.22.0/24"),
            timeout=10, what="vrf red gone")
        wait_until(lambda: "10.70.0.0/24" not in table_routes(lab, 10),
                   timeout=10, what="vrf red's routes gone")
        assert "10.70.0.0/24" in table_routes(lab, "main", "ospf")
    finally:
        held.stop()
        inject(lab, "--count", "1", "--prefix", "10.70.0.0/16",
               "--nexthop", NEXTHOP, "--source", "ospf", "--withdraw")


@pytest.mark.fullkernel
def test_vrf_device_statics(lab, red):
    """`vrf red` statics go into table 10 with protocol static through
    eth2; the same prefix in the default VRF goes through eth1; deleting
    the device takes them out of the kernel and they turn pending."""
    lab.wp_configure("r1", "vrf red", "ip route 10.60.0.0/16 10.0.22.2",
                     "exit-vrf", "ip route 10.60.0.0/16 10.0.12.2")
    try:
        wait_until(lambda: table_routes(lab, 10, "static").get(
            "10.60.0.0/16", {}).get("gateway") == "10.0.22.2",
            timeout=10, what="10.60.0.0/16 static in table 10")
        wait_until(lambda: table_routes(lab, "main", "static").get(
            "10.60.0.0/16", {}).get("gateway") == "10.0.12.2",
            timeout=10, what="10.60.0.0/16 static in main")
        r = vrf_routes(lab, "red")["10.60.0.0/16"][0]
        assert r["protocol"] == "static" and r["table"] == 10
        lab.exec("r1", "ip link del red")
        wait_until(lambda: "10.60.0.0/16" not in table_routes(lab, 10),
                   timeout=10, what="vrf red's static gone with it")

        def red_vrf():
            return {x["name"]: x for x in
                    lab.wp_json("r1", "show vrf")["vrfs"]}.get("red")
        wait_until(lambda: red_vrf() and not red_vrf()["device"] and
                   red_vrf()["pendingStaticRoutes"] == 1,
                   timeout=10, what="vrf red's static pending")
        assert "10.60.0.0/16" in table_routes(lab, "main", "static")
    finally:
        lab.wp_configure("r1", "no vrf red",
                         "no ip route 10.60.0.0/16 10.0.12.2", check=False)
