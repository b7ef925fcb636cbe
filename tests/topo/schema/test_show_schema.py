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
import re

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
    ("ribd", "show vrf json", "ribd-show-vrf.json"),
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


# --- every show command, text and JSON ------------------------------------

def _keyword(tok):
    return re.match(r"^[a-z][a-z0-9-]*$", tok) is not None


def _parse(tmpl):
    """A template as a tree: ("seq", [...]), ("opt", seq),
    ("alt", [seq, ...]), or a word."""
    toks = re.findall(r"[\[\]()|]|[^\s\[\]()|]+", tmpl)
    pos = 0

    def seq(stop):
        nonlocal pos
        items, alts = [], []
        while pos < len(toks) and toks[pos] not in stop:
            t = toks[pos]
            pos += 1
            if t == "[":
                items.append(("opt", seq("]")))
                pos += 1
            elif t == "(":
                items.append(seq(")"))
                pos += 1
            elif t == "|":
                alts.append(("seq", items))
                items = []
            else:
                items.append(t)
        if alts:
            return ("alt", alts + [("seq", items)])
        return ("seq", items)
    return seq(())


def _forms(node, subst):
    """Every word list NODE stands for, placeholders replaced by each of
    their values in SUBST (None inside: a placeholder without one)."""
    if isinstance(node, str):
        if _keyword(node):
            return [[node]]
        return [[v] for v in subst.get(node, [None])]
    kind, body = node
    if kind == "opt":
        return [[]] + _forms(body, subst)
    if kind == "alt":
        return [f for b in body for f in _forms(b, subst)]
    out = [[]]
    for item in body:
        out = [a + b for a in out for b in _forms(item, subst)][:256]
    return out


def show_forms(tmpl, subst=None):
    """The concrete commands of a show template: every form, with the
    placeholders SUBST has values for filled in, the others left out."""
    return sorted({" ".join(f) for f in _forms(_parse(tmpl), subst or {})
                   if None not in f})


# Placeholder values that mean something in the jsch lab, seen from rN:
# its link, the other router's addresses, routes that exist.
def lab_values(node):
    peer = "2" if node == "r1" else "1"
    return {"IFNAME": ["eth1", "lo"],
            "A.B.C.D": ["10.0.9." + peer, "10.255.9." + peer],
            "A.B.C.D/M": ["10.255.9.%s/32" % peer, "10.91.0.0/16"],
            "X:X::X:X": ["fd00:9::" + peer],
            "X:X::X:X/M": ["fd00:9::/64"],
            "VRF": ["default"]}


def test_show_forms_expand():
    assert show_forms("show bfd peers [brief] [json]") == [
        "show bfd peers", "show bfd peers brief", "show bfd peers brief json",
        "show bfd peers json"]
    assert show_forms("show bfd peer (A.B.C.D|X:X::X:X) [json]") == []
    assert show_forms("show bfd peer (A.B.C.D|X:X::X:X) [json]",
                      {"A.B.C.D": ["10.0.9.2"]}) == [
        "show bfd peer 10.0.9.2", "show bfd peer 10.0.9.2 json"]
    assert show_forms("show ip ospf database [(router|network)] [json]") \
        == ["show ip ospf database", "show ip ospf database json",
            "show ip ospf database network", "show ip ospf database "
            "network json", "show ip ospf database router",
            "show ip ospf database router json"]


def test_every_show_command(lab):
    """Every show command of every daemon, in every form (with the lab's
    interfaces, addresses and prefixes for its arguments), as text and as
    JSON, answers, and no daemon dies of it (a text rendering that
    tripped over an absent JSON key once killed ospfd)."""
    for node in ROUTERS:
        wait_until(lambda: ospf_full(lab, node), timeout=40,
                   what="%s OSPF Full" % node)
    bad = []
    for node in ROUTERS:
        for daemon in ("mgmtd", "ribd", "bfdd", "ospfd"):
            pid = lab.wp_pid(node, daemon)
            tmpls = lab.wp_json(node, "list", daemon=daemon)["commands"]
            cmds = [c for t in tmpls if t.startswith("show ")
                    for c in show_forms(t, lab_values(node))]
            assert len(cmds) > 5, (daemon, tmpls)
            for cmd in cmds:
                cp = lab.wp_cmd(node, cmd, daemon=daemon, check=False,
                                raw=True)
                if cp.returncode not in (0, 1):
                    bad.append("%s %s %r: status %d: %s" % (
                        node, daemon, cmd, cp.returncode,
                        (cp.stdout + cp.stderr).strip()[:200]))
                if cmd.endswith(" json") and cp.returncode == 0:
                    try:
                        json.loads(cp.stdout)
                    except ValueError as e:
                        bad.append("%s %s %r: not JSON: %s" % (
                            node, daemon, cmd, e))
            assert lab.wp_pid(node, daemon) == pid, \
                "%s %s restarted or died" % (node, daemon)
    assert not bad, "\n".join(bad)
