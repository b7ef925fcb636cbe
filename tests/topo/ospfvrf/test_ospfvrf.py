"""ospfd with one instance per VRF (topologies/ovrf): r2 runs the default
VRF's instance towards r3 and vrf red's towards r1 and FRR's f1 (whose
link is in a vrf red of its own, `router ospf vrf red`), both with router
ID 2.2.2.2.  Asserts the adjacencies of each instance on both sides (FRR's
json included), that the LSDBs stay apart, `show ip ospf vrf all json`
keyed by VRF, routes across red reaching r1's kernel FIB and not r3's,
each instance redistributing its own VRF's static, r2's kernel table 10
(both need ribd's VRF support: without it they skip, saying so), and an
interface moved from the default VRF into red leaving one instance and
joining the other.

Needs a kernel with vrf devices: on this machine's kernel the module
skips; `tools/vmrun` (tools/run-tests vm) runs it in a guest, where
everything is ~8x slower: hello 1 s / dead 4 s, generous deadlines."""

import os

import pytest

from lablib import harness
from lablib.harness import module_lab, wait_for, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "ovrf")

R1, R2, R3, F1 = "1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"
SLOW = 180          # seconds: the guest is slow; every wait is polled

pytestmark = pytest.mark.fullkernel


@pytest.fixture(scope="module")
def lab():
    harness.require_kernel("vrf")
    yield from module_lab(TOPO, waypoint=("ospfd", "bfdd"), frr=("ospfd",))


def wp(lab, node, cmd):
    return lab.wp_json(node, cmd, daemon="ospfd")


def nbrs(lab, node, vrf=None):
    """{(router ID, interface): state} of NODE's instance of VRF."""
    cmd = "show ip ospf %sneighbor" % ("vrf %s " % vrf if vrf else "")
    return {(n["routerId"], n["interface"]): n["state"]
            for n in wp(lab, node, cmd).get("neighbors", [])}


def frr_nbrs(lab):
    """f1's vrf red neighbours, {(router ID, interface): state}."""
    out = lab.frr_json("f1", "show ip ospf vrf red neighbor")
    # FRR nests one VRF's output under its name, or not (versions differ).
    out = out.get("red", out)
    return {(rid, n["ifaceName"].split(":")[0]): n["state"]
            for rid, lst in out.get("neighbors", {}).items() for n in lst}


def adv_routers(lab, node, vrf=None):
    cmd = "show ip ospf %sdatabase" % ("vrf %s " % vrf if vrf else "")
    return {lsa["advRouter"] for a in wp(lab, node, cmd)["areas"]
            for lsa in a["lsas"] if lsa["age"] < 3600}


def diff_nbrs(got, want):
    """What differs between neighbours GOT and WANT ({key: "Full"})."""
    return {k: got.get(k) for k in set(got) | set(want)
            if got.get(k) != want.get(k)}


def full_everywhere(lab):
    bad = {}
    for (node, vrf), want in {
            ("r1", None): {(R2, "eth1")},
            ("r3", None): {(R2, "eth1")},
            ("r2", None): {(R3, "eth2")},
            ("r2", "red"): {(R1, "eth1"), (F1, "eth3")}}.items():
        d = diff_nbrs(nbrs(lab, node, vrf), {k: "Full" for k in want})
        if d:
            bad[(node, vrf)] = d
    f1 = frr_nbrs(lab)
    if not f1.get((R2, "eth1"), "").startswith("Full"):
        bad[("f1", "red")] = f1
    return bad


def test_adjacencies_full_in_each_instance(lab):
    wait_for(lambda: full_everywhere(lab),
             "every instance Full with its own neighbours", timeout=SLOW)
    # Both of r2's instances have router ID 2.2.2.2.
    assert wp(lab, "r2", "show ip ospf")["routerId"] == R2
    assert wp(lab, "r2", "show ip ospf vrf red")["routerId"] == R2


def test_vrf_all_json_keyed_by_vrf(lab):
    out = wp(lab, "r2", "show ip ospf vrf all neighbor")
    assert set(out) == {"default", "red"}
    assert {n["routerId"] for n in out["default"]["neighbors"]} == {R3}
    assert {n["routerId"] for n in out["red"]["neighbors"]} == {R1, F1}
    # The default VRF by name is the plain command.
    def names(cmd):
        return {(i["name"], i["address"]) for i in wp(lab, "r2", cmd)
                ["interfaces"]}
    assert names("show ip ospf vrf default interface") == names(
        "show ip ospf interface") == {("lo", "10.255.0.2/32"),
                                      ("eth2", "10.0.23.2/24")}
    assert names("show ip ospf vrf red interface") == {
        ("red", "10.255.0.22/32"), ("eth1", "10.0.12.2/24"),
        ("eth3", "10.0.24.2/24")}
    assert wp(lab, "r2", "show ip ospf vrf red")["vrfName"] == "red"
    assert wp(lab, "r2", "show ip ospf")["vrfName"] == "default"
    # A VRF without an instance: nothing, in JSON an empty object.
    assert wp(lab, "r2", "show ip ospf vrf blue neighbor") == {}
    # An object of one VRF only: found, the JSON keyed by that VRF alone.
    out = wp(lab, "r2", "show ip ospf vrf all neighbor %s" % F1)
    assert set(out) == {"red"}
    assert [n["routerId"] for n in out["red"]["neighbors"]] == [F1]
    out = wp(lab, "r2", "show ip ospf vrf all interface eth2")
    assert set(out) == {"default"}


def test_lsdbs_apart(lab):
    def check():
        bad = {}
        want = {("r2", None): {R2, R3}, ("r2", "red"): {R1, R2, F1},
                ("r3", None): {R2, R3}, ("r1", None): {R1, R2, F1}}
        for (node, vrf), routers in want.items():
            got = adv_routers(lab, node, vrf)
            if got != routers:
                bad[(node, vrf)] = sorted(got)
        return bad
    wait_for(check, "each LSDB holds its own VRF's routers only",
             timeout=SLOW)


def test_routes_cross_red_only(lab):
    """f1's loopback reaches r1's kernel through r2's red instance; r3
    learns nothing of red's side, r1 nothing of r3's."""
    wait_until(lambda: (lab.route("r1", "10.255.0.4/32") or {})
               .get("gateway") == "10.0.12.2", timeout=SLOW,
               what="r1: kernel route to f1's loopback via r2")
    # r2's vrf link is red's loopback.
    wait_until(lambda: (lab.route("r1", "10.255.0.22/32") or {})
               .get("gateway") == "10.0.12.2", timeout=SLOW,
               what="r1: kernel route to r2's red loopback")
    routes = {r["prefix"] for r in wp(lab, "r3", "show ip ospf route")
              ["routes"]}
    assert not routes & {"10.255.0.4/32", "10.255.0.22/32", "10.0.12.0/24",
                         "10.0.24.0/24", "10.255.0.1/32"}
    assert "10.255.0.2/32" in routes
    routes = {r["prefix"] for r in wp(lab, "r1", "show ip ospf route")
              ["routes"]}
    assert not routes & {"10.255.0.3/32", "10.0.23.0/24", "10.255.0.2/32"}
    assert {"10.255.0.4/32", "10.255.0.22/32", "10.0.24.0/24"} <= routes
    assert lab.route("r3", "10.255.0.4/32") is None


def test_redistribution_per_vrf(lab):
    """Each of r2's instances redistributes the static routes of its own
    VRF's table (its subscription names the table): red's reaches r1 and
    f1, the default's r3, and neither crosses."""
    def externals(node):
        return {r["prefix"] for r in wp(lab, node, "show ip ospf route")
                ["routes"] if r["pathType"].startswith("external")}

    wait_until(lambda: "172.16.2.0/24" in externals("r3"), timeout=SLOW,
               what="r3: r2's default-VRF static as an external")
    wait_until(lambda: "172.16.1.0/24" in externals("r1"), timeout=SLOW,
               what="r1: r2's red static as an external")
    def frr_routes():
        out = lab.frr_json("f1", "show ip ospf vrf red route")
        return set(out.get("red", out))
    wait_until(lambda: "172.16.1.0/24" in frr_routes(), timeout=SLOW,
               what="f1: r2's red static in its vrf red OSPF routes")
    assert "172.16.2.0/24" not in externals("r1")
    assert "172.16.1.0/24" not in externals("r3")


def vrf_route(lab, prefix):
    for r in wp(lab, "r2", "show ip ospf vrf red route")["routes"]:
        if r["prefix"] == prefix:
            return r
    return None


def test_kernel_fib_of_vrf_table(lab):
    """r2 puts red's routes in table 10 (ribd's VRF of the vrf device)."""
    wait_until(lambda: (vrf_route(lab, "10.255.0.1/32") or {}).get("fib",
                                                                   "")
               not in ("", "pending"), timeout=SLOW,
               what="r2: ribd answered for red's route to r1's loopback")
    r = vrf_route(lab, "10.255.0.1/32")

    def check():
        table = lab.kernel_routes("r2", 4, "10")
        got = {k.get("dst"): k.get("gateway") for k in table}
        want = {"10.255.0.1": "10.0.12.1", "10.255.0.4": "10.0.24.4"}
        bad = {d: table for d, gw in want.items() if got.get(d) != gw}
        for p in ("10.255.0.1/32", "10.255.0.4/32"):
            if not (vrf_route(lab, p) or {}).get("installed"):
                bad["ospfd " + p] = vrf_route(lab, p)
        return bad
    wait_for(check, "r2: table 10 routes r1's and f1's loopbacks",
             timeout=SLOW)
    # Nothing of red's in the main table.
    assert lab.route("r2", "10.255.0.1/32") is None


def test_interface_moves_between_instances(lab):
    """eth2 into vrf red: the default instance loses r3, red gains it
    (red has a network for 10.0.23.0/24 too); and back."""
    lab.exec("r2", ["ip", "link", "set", "eth2", "master", "red"])
    wait_for(lambda: diff_nbrs(nbrs(lab, "r2", "red"),
                               {(R1, "eth1"): "Full", (F1, "eth3"): "Full",
                                (R3, "eth2"): "Full"}),
             "r2: r3 Full in red after eth2 moved there", timeout=SLOW)
    assert nbrs(lab, "r2") == {}
    names = {i["name"] for i in wp(lab, "r2", "show ip ospf interface")
             ["interfaces"]}
    assert "eth2" not in names
    lab.exec("r2", ["ip", "link", "set", "eth2", "nomaster"])
    wait_for(lambda: diff_nbrs(nbrs(lab, "r2"), {(R3, "eth2"): "Full"}),
             "r2: r3 Full in the default VRF again", timeout=SLOW)
    wait_for(lambda: diff_nbrs(nbrs(lab, "r2", "red"),
                               {(R1, "eth1"): "Full",
                                (F1, "eth3"): "Full"}),
             "r2: red without eth2 again", timeout=SLOW)


def test_vrf_instance_removed_and_back_through_vtysh(lab):
    """`no router ospf vrf red` through vtysh and mgmtd: red's instance
    leaves its interfaces (r1 and f1 lose r2), the default's is untouched;
    typed again, red is back Full."""
    lab.wp_configure("r2", "no router ospf vrf red")
    wait_for(lambda: diff_nbrs(nbrs(lab, "r2", "red"), {}),
             "r2: red has no neighbours", timeout=SLOW)
    wait_for(lambda: diff_nbrs(nbrs(lab, "r1"), {}),
             "r1: r2 gone", timeout=SLOW)
    assert set(wp(lab, "r2", "show ip ospf vrf all neighbor")) == {
        "default"}
    assert nbrs(lab, "r2") == {(R3, "eth2"): "Full"}
    lab.wp_configure("r2", "router ospf vrf red", "ospf router-id 2.2.2.2",
                     "redistribute static", "network 10.0.12.0/24 area 0",
                     "network 10.0.23.0/24 area 0",
                     "network 10.0.24.0/24 area 0")
    wait_for(lambda: full_everywhere(lab), "every instance Full again",
             timeout=SLOW)
    running = lab.wp_cmd("r2", "show running-config", daemon="mgmtd")
    assert "router ospf vrf red\n ospf router-id 2.2.2.2\n" in running


def ospf_bfd(lab, node, vrf, nbr, ifname):
    """NODE's BFD status of neighbour NBR on IFNAME in VRF's instance."""
    cmd = "show ip ospf %sneighbor" % ("vrf %s " % vrf if vrf else "")
    for n in wp(lab, node, cmd).get("neighbors", []):
        if (n["routerId"], n["interface"]) == (nbr, ifname):
            return n.get("bfdStatus")
    return None


def bfdd_state(lab, node, peer, vrf):
    for p in lab.wp_json(node, "show bfd peers", daemon="bfdd")["peers"]:
        if (p["peer"], p["vrf"]) == (peer, vrf):
            return p["state"]
    return None


def test_bfd_in_vrf(lab):
    """`ip ospf bfd` on an interface of vrf red registers the neighbour's
    session in red (r2's bfdd: peer 10.0.12.1 vrf red), against r1's in
    its default VRF; BFD packets dropped on r2's eth1 take the session
    down and red's instance counts the neighbour down by BFD; let
    through again, the session and the adjacency come back."""
    def up():
        a = ospf_bfd(lab, "r2", "red", R1, "eth1") or {}
        b = ospf_bfd(lab, "r1", None, R2, "eth1") or {}
        return (a.get("state") == "up" and b.get("state") == "up" and
                bfdd_state(lab, "r2", "10.0.12.1", "red") == "up" and
                bfdd_state(lab, "r1", "10.0.12.2", "default") == "up")

    wait_until(up, timeout=SLOW, what="BFD up under OSPF, in red on r2")
    downs0 = wp(lab, "r2", "show ip ospf vrf red")["bfd"]["neighborsDown"]
    # Prerouting: at input a VRF port's packet arrives again on the vrf
    # device and eth1 would match nothing.
    lab.run("r2", ["nft", "-f", "-"], check=True, input=(
        "table inet ovrfbfd {\n chain in {\n"
        "  type filter hook prerouting priority 0;\n"
        "  iifname \"eth1\" udp dport 3784 drop\n }\n}\n"))
    try:
        wait_until(lambda: wp(lab, "r2", "show ip ospf vrf red")["bfd"]
                   ["neighborsDown"] > downs0, timeout=SLOW,
                   what="red's instance: neighbour down by BFD")
        assert bfdd_state(lab, "r2", "10.0.12.1", "red") != "up"
    finally:
        lab.run("r2", ["nft", "delete", "table", "inet", "ovrfbfd"])
    wait_until(up, timeout=SLOW, what="BFD and the adjacency back")
    wait_until(lambda: not full_everywhere(lab), timeout=SLOW,
               what="every adjacency Full again")
