"""The JSON of the main show commands against their schemas
(doc/schema/*.json, JSON Schema draft-07, checked with Debian's
python3-jsonschema).

Topology r1 - r2 (topologies/jsch, lab prefix jsch): ribd, ospfd and
bfdd on both.  Each command's output is validated on both routers in
three states, so the optional members show up too: while the protocols
come up, converged (OSPF Full, BFD up), and after r2's link goes down
(BFD down with a diagnostic and a downtime, OSPF neighbour gone, the
interface and its connected route down).  A schema that accepts
anything fails test_schemas_catch_drift."""

import copy
import glob
import json
import os

import pytest

from lablib import roles
from lablib.harness import module_lab, require_root, wait_until

jsonschema = pytest.importorskip("jsonschema")

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "topologies", "jsch")
SCHEMA_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "doc",
                                           "schema"))

# (daemon, command, schema file)
COMMANDS = [
    ("ribd", "show ip route json", "ribd-show-ip-route.json"),
    ("ribd", "show ipv6 route json", "ribd-show-ip-route.json"),
    ("ribd", "show interface json", "ribd-show-interface.json"),
    ("bfdd", "show bfd peers json", "bfdd-show-bfd-peers.json"),
    ("ospfd", "show ip ospf neighbor json",
     "ospfd-show-ip-ospf-neighbor.json"),
    ("ospfd", "show ip ospf route json", "ospfd-show-ip-ospf-route.json"),
]
ROUTERS = ["r1", "r2"]


def load_schema(name):
    with open(os.path.join(SCHEMA_DIR, name)) as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    return schema


def problems(schema, doc):
    """The schema's complaints about DOC, one readable line each."""
    v = jsonschema.Draft7Validator(schema)
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)",
                        e.message[:300])
            for e in sorted(v.iter_errors(doc), key=str)]


def validate_all(lab, state):
    """Every command on every router; returns what was validated."""
    seen = {}
    bad = []
    for node in ROUTERS:
        for daemon, cmd, name in COMMANDS:
            out = lab.wp_cmd(node, cmd, daemon=daemon)
            try:
                doc = json.loads(out)
            except ValueError as e:
                bad.append("%s %s %r: not JSON (%s): %r"
                           % (state, node, cmd, e, out[:200]))
                continue
            for p in problems(load_schema(name), doc):
                bad.append("%s %s %r: %s" % (state, node, cmd, p))
            seen[(node, cmd)] = doc
    assert not bad, "\n".join(bad)
    return seen


@pytest.fixture(scope="module")
def lab():
    require_root()
    find = roles.waypoint_bindir()
    if find is None or not all(find(d) for d in ("ribd", "ospfd", "bfdd")):
        pytest.skip("ribd, ospfd and bfdd are not all built")
    yield from module_lab(TOPO)


def test_schemas_are_valid_draft7():
    names = sorted(os.path.basename(p) for p in
                   glob.glob(os.path.join(SCHEMA_DIR, "*.json")))
    assert {c[2] for c in COMMANDS} <= set(names), names
    for name in names:
        load_schema(name)


def bfd_up(lab, node):
    peers = lab.wp_json(node, "show bfd peers", daemon="bfdd")["peers"]
    return peers and all(p["state"] == "up" for p in peers)


def ospf_full(lab, node):
    nbrs = lab.wp_json(node, "show ip ospf neighbor",
                       daemon="ospfd").get("neighbors", [])
    return nbrs and all(n["state"] == "Full" for n in nbrs)


def test_while_coming_up(lab):
    validate_all(lab, "starting")


def test_converged(lab):
    for node in ROUTERS:
        wait_until(lambda: bfd_up(lab, node), timeout=30,
                   what="%s BFD up" % node)
        wait_until(lambda: ospf_full(lab, node), timeout=40,
                   what="%s OSPF Full" % node)
    wait_until(lambda: any(r["prefix"] == "10.255.9.2/32" for r in
                           lab.wp_json("r1", "show ip ospf route",
                                       daemon="ospfd")["routes"]),
               timeout=20, what="r1's OSPF route to r2's loopback")
    seen = validate_all(lab, "converged")
    # The states the schemas' optional parts describe are really there.
    routes = seen[("r1", "show ip route json")]
    assert routes["192.0.2.1/32"][0]["nexthops"][0]["reject"] == \
        "blackhole"
    assert "fibNexthops" in routes["10.91.0.0/16"][0]
    assert "uptime" in seen[("r1", "show bfd peers json")]["peers"][0]
    assert any(not r["directlyAttached"] for r in
               seen[("r1", "show ip ospf route json")]["routes"])


def test_schemas_catch_drift(lab):
    """Real output, then broken the ways code drifts: a member dropped,
    renamed, or of another type.  Each breakage must be reported."""
    for daemon, cmd, name in COMMANDS:
        doc = json.loads(lab.wp_cmd("r1", cmd, daemon=daemon))
        schema = load_schema(name)
        assert not problems(schema, doc)
        if cmd.startswith("show ipv6"):
            continue
        for mutate in ("drop", "rename", "retype"):
            bad = copy.deepcopy(doc)
            # The first route, interface, peer or neighbour.
            target = next(iter(bad.values()))[0]
            key = sorted(k for k in target if not isinstance(
                target[k], (dict, list)))[0]
            if mutate == "drop":
                del target[key]
            elif mutate == "rename":
                target[key + "X"] = target.pop(key)
            else:
                target[key] = [target[key]]
            assert problems(schema, bad), "%s: %s %s passes" % (cmd, mutate,
                                                                 key)


def test_link_down(lab):
    lab.exec("r2", "ip link set eth1 down")
    wait_until(lambda: lab.wp_json("r1", "show bfd peers",
                                   daemon="bfdd")["peers"][0]["state"] ==
               "down", timeout=20, what="r1 BFD down")
    wait_until(lambda: not lab.wp_json("r1", "show ip ospf neighbor",
                                       daemon="ospfd").get("neighbors"),
               timeout=20, what="r1's OSPF neighbour gone")
    wait_until(lambda: any(i["name"] == "eth1" and i["operStatus"] == "down"
                           for i in lab.wp_json("r2", "show interface")[
                               "interfaces"]),
               timeout=20, what="r2 eth1 down in ribd")
    seen = validate_all(lab, "link down")
    peer = seen[("r1", "show bfd peers json")]["peers"][0]
    assert "downtime" in peer and "uptime" not in peer
    assert peer["diagnostic"] != "ok"
    lab.exec("r2", "ip link set eth1 up")
