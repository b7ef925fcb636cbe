"""ospfd against FRR ospfd in network namespaces: a point-to-point link
and a LAN with a DR/BDR election (topologies/ospf-frr).  Asserts both
sides' views: adjacencies Full on both ends, the same LSDB (LSA set and
sequence numbers), our routing table and our kernel FIB (installed
through ribd), FRR's kernel FIB; then a link cut
and restore, and malformed packets that are counted and dropped while the
adjacency stays up.  Hello 1 s / dead 4 s, so the whole module runs in
well under 90 s."""

import os
import socket
import struct

import pytest

import ospf_fib as fib
from lablib.harness import module_lab, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "ospf-frr")

R1, F1, F2 = "10.255.0.1", "10.255.0.2", "10.255.0.3"


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd",), frr=("ospfd",))


def wp(lab, cmd):
    return lab.wp_json("r1", cmd, daemon="ospfd")


def our_nbrs(lab):
    """{(router ID, interface): state} as r1 sees them."""
    return {(n["routerId"], n["interface"]): n["state"]
            for n in wp(lab, "show ip ospf neighbor")["neighbors"]}


def all_full(lab):
    ours = our_nbrs(lab)
    want = {(F1, "eth1"), (F1, "eth2"), (F2, "eth2")}
    if set(ours) != want or any(s != "Full" for s in ours.values()):
        return False
    f1 = lab.frr_ospf_neighbors("f1")
    f2 = lab.frr_ospf_neighbors("f2")
    return (f1.get((R1, "eth1"), "").startswith("Full") and
            f1.get((R1, "eth2"), "").startswith("Full") and
            f2.get((R1, "eth1"), "").startswith("Full"))


def our_lsdb(lab):
    out = set()
    db = wp(lab, "show ip ospf database")
    for area in db["areas"]:
        for lsa in area["lsas"]:
            if lsa["age"] >= 3600:
                continue
            out.add((lsa["type"], lsa["lsId"], lsa["advRouter"],
                     int(lsa["sequence"], 16), int(lsa["checksum"], 16)))
    return out


def frr_lsdb(lab, node):
    out = set()
    db = lab.frr_json(node, "show ip ospf database")
    types = {"routerLinkStates": 1, "networkLinkStates": 2,
             "summaryLinkStates": 3, "asbrSummaryLinkStates": 4}
    for area in db["areas"].values():
        for key, t in types.items():
            for lsa in area.get(key, []):
                if lsa["lsaAge"] >= 3600:
                    continue
                out.add((t, lsa["lsId"], lsa["advertisedRouter"],
                         int(lsa["sequenceNumber"], 16),
                         int(lsa["checksum"], 16)))
    return out


def our_route(lab, prefix):
    for r in wp(lab, "show ip ospf route")["routes"]:
        if r["prefix"] == prefix:
            return r
    return None


def test_adjacencies_full(lab):
    """r1 is Full with f1 on both links and with f2 on the LAN, and FRR
    agrees from its side."""
    wait_until(lambda: all_full(lab), timeout=40,
               what="all adjacencies Full on both sides")


def frr_config(lab, node, *lines):
    """Apply configuration lines on an FRR node (configure terminal)."""
    argv = ["vtysh", "--vty_socket", lab._node_state(node, "frr")["dir"],
            "-c", "configure terminal"]
    for line in lines:
        argv += ["-c", line]
    lab.exec(node, argv)


def test_md5_authentication(lab):
    """The p2p link runs MD5 authentication (RFC 2328 App. D) with FRR:
    the adjacency is Full and nothing was dropped for authentication;
    when f1 changes its key, r1 refuses its packets (counted) and the
    adjacency goes, and comes back with the right key."""
    wait_until(lambda: all_full(lab), timeout=30, what="adjacencies")
    eth1 = {i["name"]: i for i in wp(lab, "show ip ospf interface")[
        "interfaces"]}["eth1"]
    assert eth1["authentication"] == "message-digest"
    assert "authentication failure" not in eth1["droppedByReason"]
    assert eth1["received"]["hello"] > 0
    key = ("interface eth1", "no ip ospf message-digest-key 1")
    frr_config(lab, "f1", *key, "ip ospf message-digest-key 1 md5 wrong")
    try:
        def refused():
            e = {i["name"]: i for i in wp(lab, "show ip ospf interface")[
                "interfaces"]}["eth1"]
            return (e["droppedByReason"].get("authentication failure", 0)
                    > 0 and (F1, "eth1") not in our_nbrs(lab))
        wait_until(refused, timeout=15, what="wrong key refused")
    finally:
        frr_config(lab, "f1", *key, "ip ospf message-digest-key 1 md5 "
                   "wp-test")
    wait_until(lambda: all_full(lab), timeout=30,
               what="adjacency back with the right key")


def test_dr_election(lab):
    """Priorities r1 10, f1 5, f2 1: r1 is DR, f1 BDR, on both views."""
    wait_until(lambda: all_full(lab), timeout=30, what="adjacencies")

    def elected():
        ifs = {i["name"]: i for i in wp(lab, "show ip ospf interface")[
            "interfaces"]}
        eth2 = ifs["eth2"]
        frr = lab.frr_json("f1", "show ip ospf interface")[
            "interfaces"]["eth2"]
        return (eth2["state"] == "DR" and eth2["drId"] == R1 and
                eth2["bdrId"] == F1 and frr["drId"] == R1 and
                frr["bdrId"] == F1 and frr["state"] == "Backup")
    wait_until(elected, timeout=20, what="r1 DR and f1 BDR everywhere")
    ifs = {i["name"]: i for i in wp(lab, "show ip ospf interface")[
        "interfaces"]}
    assert ifs["eth1"]["state"] == "Point-To-Point"
    assert ifs["eth1"]["networkType"] == "POINTOPOINT"
    assert ifs["lo"]["state"] == "Loopback"
    roles_seen = {(n["routerId"], n["interface"]): n["role"]
                  for n in wp(lab, "show ip ospf neighbor")["neighbors"]}
    assert roles_seen[(F1, "eth2")] == "Backup"
    assert roles_seen[(F2, "eth2")] == "DROther"


def test_lsdb_agrees(lab):
    """The same LSAs, sequence numbers and checksums on r1, f1 and f2,
    including our router-LSA and the network-LSA we originate as DR."""
    wait_until(lambda: all_full(lab), timeout=30, what="adjacencies")

    def same():
        a, b, c = our_lsdb(lab), frr_lsdb(lab, "f1"), frr_lsdb(lab, "f2")
        return a == b == c and a
    wait_until(same, timeout=20, what="LSDBs agree")
    ours = our_lsdb(lab)
    keys = {(t, i, a) for t, i, a, _, _ in ours}
    assert (1, R1, R1) in keys and (1, F1, F1) in keys and (1, F2, F2) in keys
    assert (2, "10.0.100.1", R1) in keys


def test_routes(lab):
    """Our table has FRR's loopbacks at the right cost; FRR installed ours
    in its kernel FIB."""
    wait_until(lambda: all_full(lab), timeout=30, what="adjacencies")
    wait_until(lambda: our_route(lab, F1 + "/32") is not None and
               our_route(lab, F2 + "/32") is not None, timeout=20,
               what="routes to f1 and f2 loopbacks")
    r = our_route(lab, F1 + "/32")
    assert r["pathType"] == "intra-area" and r["cost"] == 10
    assert r["nexthops"] == [{"ip": "10.0.12.2", "interface": "eth1"}]
    r = our_route(lab, F2 + "/32")
    assert r["cost"] == 20
    assert r["nexthops"] == [{"ip": "10.0.100.3", "interface": "eth2"}]
    r = our_route(lab, "10.0.100.0/24")
    assert r["directlyAttached"] and r["cost"] == 20
    assert our_route(lab, R1 + "/32")["cost"] == 0
    # Our kernel, through ribd: FRR's loopbacks, not our own networks.
    fib.wait_fib(lab, "r1", F1 + "/32", {("10.0.12.2", "eth1")})
    fib.wait_fib(lab, "r1", F2 + "/32", {("10.0.100.3", "eth2")})
    wait_until(lambda: our_route(lab, F1 + "/32")["installed"] and
               our_route(lab, F2 + "/32")["installed"], timeout=20,
               what="ospfd reports f1's and f2's loopbacks installed")
    assert our_route(lab, "10.0.100.0/24")["fib"] == "connected"
    assert fib.fib_nexthops(lab, "r1", "10.0.100.0/24") is None
    assert lab.ping("r1", F2)
    wait_until(lambda: lab.has_route("f1", R1 + "/32", via="10.0.12.1",
                                     protocol="ospf"),
               timeout=20, what="f1 installs r1's loopback over p2p")
    wait_until(lambda: lab.has_route("f2", R1 + "/32", via="10.0.100.1",
                                     protocol="ospf"),
               timeout=20, what="f2 installs r1's loopback over the LAN")
    assert lab.ping("f1", R1)
    frr = lab.frr_json("f1", "show ip ospf route")
    assert frr[R1 + "/32"]["cost"] == 10


def test_link_cut_and_restore(lab):
    """Cut the p2p link: both sides go around over the LAN, then come back
    when it returns."""
    wait_until(lambda: all_full(lab), timeout=30, what="adjacencies")
    lab.exec("f1", "ip link set eth1 down")
    try:
        wait_until(lambda: (our_route(lab, F1 + "/32") or {}).get(
            "nexthops") == [{"ip": "10.0.100.2", "interface": "eth2"}],
            timeout=20, what="r1 reaches f1 over the LAN")
        assert our_route(lab, F1 + "/32")["cost"] == 20
        assert (F1, "eth1") not in our_nbrs(lab)
        fib.wait_fib(lab, "r1", F1 + "/32", {("10.0.100.2", "eth2")})
        wait_until(lambda: lab.has_route("f1", R1 + "/32",
                                         via="10.0.100.1"),
                   timeout=20, what="f1 reaches r1 over the LAN")
    finally:
        lab.exec("f1", "ip link set eth1 up")
    wait_until(lambda: all_full(lab), timeout=30,
               what="p2p adjacency back")
    wait_until(lambda: (our_route(lab, F1 + "/32") or {}).get("cost") == 10,
               timeout=20, what="r1 back on the p2p link")
    fib.wait_fib(lab, "r1", F1 + "/32", {("10.0.12.2", "eth1")})
    wait_until(lambda: lab.has_route("f1", R1 + "/32", via="10.0.12.1"),
               timeout=20, what="f1 back on the p2p link")
    wait_until(lambda: our_lsdb(lab) == frr_lsdb(lab, "f1"), timeout=20,
               what="LSDBs agree again")


def _cksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def _hello(version=2, area=0, length=None, cksum_ok=True, body=None,
           rid="10.0.100.9"):
    if body is None:
        body = struct.pack("!4sHBBI4s4s", socket.inet_aton("255.255.255.0"),
                           1, 0x02, 1, 4, b"\0" * 4, b"\0" * 4)
    n = 24 + len(body) if length is None else length
    hdr = struct.pack("!BBH4sIHH8s", version, 1, n, socket.inet_aton(rid),
                      area, 0, 0, b"\0" * 8)
    pkt = bytearray(hdr + body)
    c = _cksum(bytes(pkt[:16]) + bytes(pkt[24:]))
    if not cksum_ok:
        c ^= 0x5555
    struct.pack_into("!H", pkt, 12, c)
    return bytes(pkt)


SENDER = r'''
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 89)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"eth1")
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
for h in sys.argv[1:]:
    s.sendto(bytes.fromhex(h), ("224.0.0.5", 0))
'''


def test_malformed_packets_counted(lab):
    """Bad version, bad checksum, a length field past the datagram, a
    truncated hello body, another area, a hello interval mismatch: each is
    counted by reason on eth2 and dropped; r1 stays up, adjacencies too."""
    wait_until(lambda: all_full(lab), timeout=30, what="adjacencies")

    def errors():
        ifs = {i["name"]: i for i in wp(lab, "show ip ospf interface")[
            "interfaces"]}
        return ifs["eth2"]["droppedByReason"]
    before = errors()
    bad_int = struct.pack("!4sHBBI4s4s", socket.inet_aton("255.255.255.0"),
                          7, 0x02, 1, 4, b"\0" * 4, b"\0" * 4)
    pkts = [_hello(version=3), _hello(cksum_ok=False), _hello(length=400),
            _hello(body=b"\xff\xff\xff\x00\x00"), _hello(area=7),
            _hello(body=bad_int)]
    lab.run("f2", ["python3", "-c", SENDER] + [p.hex() for p in pkts],
            check=True)
    want = {"bad version": 1, "bad checksum": 1, "bad length": 2,
            "area mismatch": 1, "hello interval mismatch": 1}

    def counted():
        e = errors()
        return all(e.get(k, 0) - before.get(k, 0) >= v
                   for k, v in want.items())
    wait_until(counted, timeout=10, what="drops counted by reason")
    assert all_full(lab)
    assert "dropped" in lab.logs("r1")
