"""Key chains in network namespaces (topologies/okc): OSPF HMAC-SHA
(RFC 5709) and BFD between two Waypoint routers, OSPF MD5 from a key
chain against FRR 8.4.

FRR 8.4's ospfd has no ``ip ospf authentication key-chain`` (it came
with FRR 9), so HMAC-SHA is tested Waypoint against Waypoint; f1 checks
that a key chain's MD5 key is App. D MD5 as FRR's message-digest-key
speaks it.  The configuration reaches ospfd and bfdd through mgmtd: the
key chains are waypoint-routing data that both daemons share with ribd.

Asserted on both sides: adjacencies Full, the authentication trailer
on the wire (key ID, digest length), a key rollover by lifetime without
losing the adjacency, a wrong key refused and counted as an
authentication failure, BFD sessions up with the chain's key and down
with a wrong one.  Hello 1 s / dead 4 s."""

import os

import pytest

from lablib.harness import module_lab, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "okc")

R1, R2, F1 = "10.255.0.1", "10.255.0.2", "10.255.0.3"
AUTH_FAIL = "authentication failure"


@pytest.fixture(scope="module")
def lab():
    yield from module_lab(TOPO, waypoint=("ospfd", "bfdd"), frr=("ospfd",))


def wp(lab, node, cmd, daemon="ospfd"):
    return lab.wp_json(node, cmd, daemon=daemon)


def nbrs(lab, node):
    """{(router ID, interface): state} as a Waypoint node sees them."""
    return {(n["routerId"], n["interface"]): n["state"]
            for n in wp(lab, node, "show ip ospf neighbor")["neighbors"]}


def iface(lab, node, name):
    return {i["name"]: i for i in wp(lab, node, "show ip ospf interface")[
        "interfaces"]}[name]


def auth_failures(lab, node, name):
    return iface(lab, node, name)["droppedByReason"].get(AUTH_FAIL, 0)


def frr_full(lab):
    for rid, lst in lab.frr_json("f1", "show ip ospf neighbor")[
            "neighbors"].items():
        for n in lst:
            if rid == R1 and n["state"].startswith("Full"):
                return True
    return False


def r1_r2_full(lab):
    return (nbrs(lab, "r1").get((R2, "eth1")) == "Full" and
            nbrs(lab, "r2").get((R1, "eth1")) == "Full")


# One OSPF packet from SRC as it arrived on DEV (IP header stripped),
# in hex; a raw socket sees every protocol-89 datagram the node takes.
SNIFF = r'''
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 89)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[2].encode())
s.settimeout(1.0)
end = time.monotonic() + 10
while time.monotonic() < end:
    try:
        d = s.recv(65535)
    except socket.timeout:
        continue
    if socket.inet_ntoa(d[12:16]) == sys.argv[1]:
        print(d[(d[0] & 15) * 4:].hex())
        sys.exit(0)
sys.exit(1)
'''


def sniff_auth(lab, node, src, dev="eth1"):
    """(auth type, key ID, digest length, trailer bytes) of a packet
    from SRC seen on NODE's DEV."""
    out = lab.run(node, ["python3", "-c", SNIFF, src, dev], check=True)
    pkt = bytes.fromhex(out.stdout.strip())
    length = int.from_bytes(pkt[2:4], "big")
    autype = int.from_bytes(pkt[14:16], "big")
    return autype, pkt[18], pkt[19], len(pkt) - length


def test_config_from_mgmtd(lab):
    """ospfd and bfdd took their configuration, key chains included,
    from mgmtd (waypoint-routing shared with ribd), not from the file."""
    for node in ("r1", "r2"):
        recs = {d["name"]: d for d in lab._node_state(node, "waypoint")[
            "daemons"]}
        assert recs["ospfd"].get("config") == "mgmtd", recs["ospfd"]
        assert recs["bfdd"].get("config") == "mgmtd", recs["bfdd"]


def mgmt_daemons(lab, node):
    return {d["name"]: d for d in lab.wp_json(node, "show mgmt daemons",
                                              daemon="mgmtd")["daemons"]}


def test_ribd_commit_not_refused(lab):
    """ospfd and bfdd own waypoint-routing for its key chains: a commit
    of ribd's and the policy objects' lines there (a static route, a
    prefix list, a route map) reaches them, and they take it: no
    refusal, no configuration error, the key chains still in force."""
    before = mgmt_daemons(lab, "r1")
    for d in ("ospfd", "bfdd"):
        assert "waypoint-routing" in before[d]["modules"], before[d]
    lab.wp_configure("r1", "ip route 10.99.0.0/24 10.0.12.2",
                     "ip prefix-list PL seq 5 permit 10.0.0.0/8",
                     "route-map RM permit 10", "match ip address "
                     "prefix-list PL")
    after = mgmt_daemons(lab, "r1")
    for d in ("ospfd", "bfdd", "ribd"):
        assert after[d]["refusals"] == before[d]["refusals"], after[d]
        assert after[d]["commits"] > before[d]["commits"], after[d]
    wait_until(lambda: lab.has_route("r1", "10.99.0.0/24", via="10.0.12.2"),
               timeout=15, what="the static route in r1's FIB")
    js = wp(lab, "r1", "show ip ospf")
    assert js.get("configErrors", 0) == 0, js
    assert iface(lab, "r1", "eth1")["keyChain"] == "OSPF"


def test_hmac_sha256_full(lab):
    """r1 and r2 are Full over HMAC-SHA-256; on the wire: type 2, key 1,
    32-byte digest after the packet; nothing refused."""
    wait_until(lambda: r1_r2_full(lab), timeout=40,
               what="r1-r2 Full both sides")
    e1 = iface(lab, "r1", "eth1")
    assert e1["authentication"] == "message-digest"
    assert (e1["keyChain"], e1["sendKeyId"], e1["sendKeyAlgorithm"]) == (
        "OSPF", 1, "hmac-sha-256")
    assert sniff_auth(lab, "r2", "10.0.12.1") == (2, 1, 32, 32)
    assert sniff_auth(lab, "r1", "10.0.12.2") == (2, 1, 32, 32)
    for node in ("r1", "r2"):
        assert auth_failures(lab, node, "eth1") == 0
        assert iface(lab, node, "eth1")["received"]["hello"] > 0


def test_frr_md5_key_chain(lab):
    """r1's key chain with an MD5 key talks App. D MD5 with FRR's
    message-digest-key: Full on both sides, 16-byte digests."""
    wait_until(lambda: nbrs(lab, "r1").get((F1, "eth2")) == "Full" and
               frr_full(lab), timeout=40, what="r1-f1 Full both sides")
    assert auth_failures(lab, "r1", "eth2") == 0
    assert sniff_auth(lab, "r1", "10.0.13.3", "eth2") == (2, 1, 16, 16)
    wait_until(lambda: F1 + "/32" in {
        x["prefix"] for x in wp(lab, "r2", "show ip ospf route")["routes"]},
        timeout=20, what="r2 learns f1's loopback through r1")


def test_key_rollover(lab):
    """The usual rollover: key 2 (HMAC-SHA-512) added on both sides,
    then key 1's send lifetime ended.  Both now sign with key 2 (64-byte
    digests); r2 drops key 1 and still accepts r1; the adjacency never
    needed to restart and nothing was refused."""
    wait_until(lambda: r1_r2_full(lab), timeout=30, what="r1-r2 Full")
    for node in ("r1", "r2"):
        lab.wp_configure(node, "key chain OSPF", "key 2",
                         "key-string wp-hmac-key-two",
                         "cryptographic-algorithm hmac-sha-512")
    # Key 1 still signs: the lowest key ID in its send lifetime.
    assert sniff_auth(lab, "r2", "10.0.12.1")[1] == 1
    for node in ("r1", "r2"):
        lab.wp_configure(node, "key chain OSPF", "key 1",
                         "send-lifetime 00:00:00 Jan 1 2020 "
                         "00:00:00 Jan 1 2021")
    wait_until(lambda: sniff_auth(lab, "r2", "10.0.12.1") == (2, 2, 64, 64),
               timeout=10, what="r1 signs with key 2")
    e1 = iface(lab, "r1", "eth1")
    assert (e1["sendKeyId"], e1["sendKeyAlgorithm"]) == (2, "hmac-sha-512")
    wait_until(lambda: sniff_auth(lab, "r1", "10.0.12.2") == (2, 2, 64, 64),
               timeout=10, what="r2 signs with key 2")
    lab.wp_configure("r2", "key chain OSPF", "no key 1")
    seen = iface(lab, "r2", "eth1")["received"]["hello"]
    wait_until(lambda: iface(lab, "r2", "eth1")["received"]["hello"] >=
               seen + 3, timeout=10, what="r2 takes three more hellos")
    assert r1_r2_full(lab)
    for node in ("r1", "r2"):
        assert auth_failures(lab, node, "eth1") == 0


def test_wrong_key(lab):
    """A key string that differs: r1 refuses r2's packets, counted as
    authentication failures, and the adjacency goes; the right key
    brings it back."""
    wait_until(lambda: r1_r2_full(lab), timeout=30, what="r1-r2 Full")
    before = auth_failures(lab, "r1", "eth1")
    lab.wp_configure("r2", "key chain OSPF", "key 2", "key-string wrong-key")
    try:
        wait_until(lambda: auth_failures(lab, "r1", "eth1") > before and
                   (R2, "eth1") not in nbrs(lab, "r1"), timeout=15,
                   what="r2's packets refused, adjacency gone")
        assert "authentication failure" in lab.logs("r1")
    finally:
        lab.wp_configure("r2", "key chain OSPF", "key 2",
                         "key-string wp-hmac-key-two")
    wait_until(lambda: r1_r2_full(lab), timeout=30,
               what="adjacency back with the right key")


def bfd_peer(lab, node, addr):
    for p in wp(lab, node, "show bfd peers", daemon="bfdd")["peers"]:
        if p["peer"] == addr:
            return p
    return None


def test_bfd_key_chain(lab):
    """BFD meticulous keyed SHA1 with the key of chain BFD: the session
    is up on both sides; a wrong key on r2 takes it down on r1, counted
    as a bad digest; the right key brings it back."""
    wait_until(lambda: bfd_peer(lab, "r1", "10.0.12.2")["state"] == "up" and
               bfd_peer(lab, "r2", "10.0.12.1")["state"] == "up",
               timeout=20, what="BFD up on both sides")
    assert bfd_peer(lab, "r1", "10.0.12.2")["keyChain"] == "BFD"
    lab.wp_configure("r2", "key chain BFD", "key 7", "key-string wp-bfd-bad")
    try:
        wait_until(lambda: bfd_peer(lab, "r1", "10.0.12.2")["state"] ==
                   "down", timeout=10, what="r1's session down")
        c = bfd_peer(lab, "r1", "10.0.12.2")["counters"]["rxErrors"]
        assert c["authBadDigest"] > 0
    finally:
        lab.wp_configure("r2", "key chain BFD", "key 7",
                         "key-string wp-bfd-sha1")
    wait_until(lambda: bfd_peer(lab, "r1", "10.0.12.2")["state"] == "up",
               timeout=15, what="BFD back up")
