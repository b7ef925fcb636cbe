"""Topology files: parse and check a containerlab ``*.clab.yml``.

The file is composed into a YAML node tree first, so every value keeps the
line it came from; the checks below then report errors as
``FILE:LINE: FIELD: MESSAGE``, e.g.::

    topologies/x/x.clab.yml:12: links[0].endpoints: unknown node 'r9'

Field paths are relative to ``topology:`` (``nodes.r1.image``,
``links[0].endpoints``); top-level keys are named as they are (``name``).

A node's *role* decides what labctl runs in its namespace:

========== =============================================================
role       chosen when
========== =============================================================
waypoint   image starts with ``waypoint`` (``waypoint/waypoint:latest``)
frr        ``kind: frr``, or an image ``frrouting/frr...``
bird       ``kind: bird``, or an image whose name contains ``bird``
bridge     ``kind: bridge``: a Linux bridge in a namespace of its own
host       anything else (``kind: linux`` with another image, or none)
========== =============================================================

The result is a :class:`Topology` of :class:`Node` and :class:`Link`
objects; nothing here touches the system.
"""

import os
import re

import yaml

from . import daemons as _daemons

ROLES = ("waypoint", "frr", "bird", "bridge", "host")
KINDS = ("linux", "frr", "bird", "bridge")

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
IFNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$")
MAX_LAB_NAME = 32
MAX_NODE_NAME = 32

FRR_CONF_TARGET = "/etc/frr/frr.conf"
# Where the Waypoint image's entrypoint reads the node's config; containerlab
# gives a kind: linux node no startup-config, so a bind puts it there.
WAYPOINT_CONF_TARGET = "/etc/waypoint/waypoint.conf"
FRR_DAEMONS_TARGET = "/etc/frr/daemons"
BIRD_CONF_TARGET = "/etc/bird/bird.conf"


class TopologyError(Exception):
    """One or more problems in a topology file.

    ``errors`` holds ``(line, field, message)`` tuples; ``str()`` renders
    one ``FILE:LINE: FIELD: MESSAGE`` per line, sorted by line.
    """

    def __init__(self, path, errors):
        self.path = path
        self.errors = sorted(errors, key=lambda e: (e[0] or 0))
        super().__init__(self.render())

    def render(self):
        out = []
        for line, field, msg in self.errors:
            loc = "%s:%d" % (self.path, line) if line else self.path
            out.append("%s: %s: %s" % (loc, field, msg) if field else
                       "%s: %s" % (loc, msg))
        return "\n".join(out)


class Node:
    """One node of a topology.

    Attributes: ``name``, ``kind``, ``image``, ``role`` (see module doc),
    ``exec`` (list of command strings), ``exec_lines`` (their line numbers),
    ``config`` (absolute path of the router config or None: Waypoint
    ``startup-config`` or the bind to ``/etc/waypoint/waypoint.conf``, FRR
    ``frr.conf`` bind, BIRD ``bird.conf`` bind),
    ``frr_daemons_file`` (FRR ``daemons`` bind or None), ``line``.
    """

    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.kind = "linux"
        self.image = None
        self.role = "host"
        self.exec = []
        self.exec_lines = []
        self.binds = []
        self.config = None
        self.frr_daemons_file = None
        self.interfaces = []

    def __repr__(self):
        return "Node(%s, role=%s)" % (self.name, self.role)


class Link:
    """A veth pair: ``a`` and ``b`` are ``(node, interface)`` tuples."""

    def __init__(self, index, a, b, line, mtu=None):
        self.index = index
        self.a = a
        self.b = b
        self.line = line
        self.mtu = mtu

    def __repr__(self):
        return "Link(%s:%s -- %s:%s)" % (self.a + self.b)


class Topology:
    """A checked topology: ``name``, ``path`` (absolute), ``dir``,
    ``nodes`` (dict name -> Node, in file order), ``links`` (list)."""

    def __init__(self, name, path):
        self.name = name
        self.path = path
        self.dir = os.path.dirname(path)
        self.nodes = {}
        self.links = []

    def netns(self, node):
        """The network namespace of NODE: ``<lab>-<node>``."""
        return netns_name(self.name, node)

    def neighbours(self, node):
        """``[(local_if, peer_node, peer_if)]`` for NODE, in link order."""
        out = []
        for lk in self.links:
            if lk.a[0] == node:
                out.append((lk.a[1], lk.b[0], lk.b[1]))
            if lk.b[0] == node:
                out.append((lk.b[1], lk.a[0], lk.a[1]))
        return out


def netns_name(lab, node):
    """Namespace name for NODE of LAB."""
    return "%s-%s" % (lab, node)


def find_topology_file(arg):
    """Accept a topology file or a directory holding one ``*.clab.yml``.

    ``topologies/demo`` finds ``topologies/demo/demo.clab.yml`` (or the
    only ``*.clab.yml`` there).  Raises TopologyError if none is found.
    """
    if os.path.isdir(arg):
        base = os.path.basename(os.path.normpath(arg))
        cand = os.path.join(arg, base + ".clab.yml")
        if os.path.isfile(cand):
            return cand
        found = sorted(f for f in os.listdir(arg)
                       if f.endswith(".clab.yml") or f.endswith(".clab.yaml"))
        if len(found) == 1:
            return os.path.join(arg, found[0])
        if not found:
            raise TopologyError(arg, [(None, None,
                                       "no *.clab.yml file in this directory")])
        raise TopologyError(arg, [(None, None,
                                   "several topology files here (%s): name one"
                                   % ", ".join(found))])
    if not os.path.exists(arg):
        raise TopologyError(arg, [(None, None, "no such file or directory")])
    return arg


# --- YAML with line numbers -------------------------------------------------

class _Marked:
    """Plain Python values plus the line of every value, by field path."""

    def __init__(self):
        self.lines = {}
        self.errors = []

    def convert(self, loader, node, path):
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out = {}
            for knode, vnode in node.value:
                if not isinstance(knode, yaml.ScalarNode):
                    self.errors.append((knode.start_mark.line + 1,
                                        _fmt(path), "keys must be plain words"))
                    continue
                key = loader.construct_object(knode, deep=True)
                key = str(key) if key is not None else "null"
                if key in out:
                    self.errors.append((knode.start_mark.line + 1,
                                        _fmt(path + (key,)),
                                        "duplicate key (first on line %d)"
                                        % self.lines[path + (key,)]))
                    continue
                out[key] = self.convert(loader, vnode, path + (key,))
                # a key's own line is more useful than its value's
                self.lines[path + (key,)] = knode.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(loader, v, path + (i,))
                    for i, v in enumerate(node.value)]
        return loader.construct_object(node, deep=True)


def _fmt(path):
    """('topology', 'links', 0, 'endpoints') -> 'links[0].endpoints'."""
    if path[:1] == ("topology",) and len(path) > 1:
        path = path[1:]
    out = ""
    for p in path:
        if isinstance(p, int):
            out += "[%d]" % p
        else:
            out += ("." if out else "") + str(p)
    return out


def _load_marked(path, text):
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        m = _Marked()
        data = m.convert(loader, root, ()) if root is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(x for x in (e.context, e.problem) if x)
        raise TopologyError(path, [(line, "yaml", msg)])
    except yaml.YAMLError as e:
        raise TopologyError(path, [(None, "yaml", str(e))])
    finally:
        loader.dispose()
    return data, m


# --- checks -----------------------------------------------------------------

class _Checker:
    def __init__(self, path, marked):
        self.path = path
        self.m = marked
        self.errors = list(marked.errors)

    def line(self, path):
        while path:
            if path in self.m.lines:
                return self.m.lines[path]
            path = path[:-1]
        return self.m.lines.get((), 1)

    def err(self, path, msg, line=None):
        self.errors.append((line or self.line(path), _fmt(path), msg))

    def typed(self, value, path, types, what):
        if value is None or isinstance(value, types):
            return value
        self.err(path, "must be %s, not %s" % (what, _yaml_type(value)))
        return None


def _yaml_type(v):
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return "a number"
    return "a string"


def _strip_registry(image):
    parts = image.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0]
                           or parts[0] == "localhost"):
        parts = parts[1:]
    return "/".join(parts)


def role_for(kind, image):
    """The role of a node from its kind and image (see module doc)."""
    if kind == "frr":
        return "frr"
    if kind == "bird":
        return "bird"
    if kind == "bridge":
        return "bridge"
    img = _strip_registry(image or "").lower()
    if img.startswith("waypoint"):
        return "waypoint"
    if img.startswith("frrouting/frr") or img.startswith("frr:") or img == "frr":
        return "frr"
    if "bird" in img:
        return "bird"
    return "host"


def _parse_bind(s):
    """'src:dst[:opts]' -> (src, dst) or None."""
    parts = s.split(":")
    if len(parts) < 2 or not parts[0] or not parts[1]:
        return None
    return parts[0], parts[1]


def load(arg):
    """Read and check a topology file (or directory); return a Topology.

    Raises TopologyError listing every problem found, each with its line.
    """
    fpath = find_topology_file(arg)
    try:
        with open(fpath, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise TopologyError(fpath, [(None, None, e.strerror)])
    except UnicodeDecodeError as e:
        raise TopologyError(fpath, [(None, None, "not UTF-8 text: %s" % e)])
    data, marked = _load_marked(fpath, text)
    c = _Checker(fpath, marked)
    topo = _check(c, fpath, data)
    if c.errors:
        raise TopologyError(fpath, c.errors)
    return topo


def _check(c, fpath, data):
    if not isinstance(data, dict):
        c.err((), "the file must be a mapping with 'name' and 'topology'"
              if data is not None else "empty file")
        return None
    name = data.get("name")
    if name is None:
        c.err((), "name: missing")
        name = "lab"
    elif not isinstance(name, str) or not NAME_RE.match(name):
        c.err(("name",), "%r is not a valid lab name (letters, digits, '-', "
              "'_'; starting with a letter or digit)" % (name,))
        name = "lab"
    elif len(name) > MAX_LAB_NAME:
        c.err(("name",), "longer than %d characters" % MAX_LAB_NAME)
    topo = Topology(name, os.path.abspath(fpath))

    t = data.get("topology")
    if t is None:
        c.err((), "topology: missing")
        return topo
    if not isinstance(t, dict):
        c.err(("topology",), "must be a mapping with 'nodes' and 'links'")
        return topo

    defaults = c.typed(t.get("defaults"), ("topology", "defaults"),
                       dict, "a mapping") or {}
    kinds = c.typed(t.get("kinds"), ("topology", "kinds"),
                    dict, "a mapping") or {}
    nodes = t.get("nodes")
    if nodes is None:
        c.err(("topology",), "nodes: missing")
        nodes = {}
    elif not isinstance(nodes, dict):
        c.err(("topology", "nodes"), "must be a mapping of node names")
        nodes = {}
    elif not nodes:
        c.err(("topology", "nodes"), "no nodes")
    for nname, ndata in nodes.items():
        node = _check_node(c, topo, nname, ndata, defaults, kinds)
        if node:
            topo.nodes[nname] = node

    links = t.get("links")
    if links is None:
        links = []
    if not isinstance(links, list):
        c.err(("topology", "links"), "must be a list")
        links = []
    seen = {}
    for i, ldata in enumerate(links):
        lk = _check_link(c, topo, nodes, i, ldata, seen)
        if lk:
            topo.links.append(lk)
            topo.nodes[lk.a[0]].interfaces.append(lk.a[1])
            topo.nodes[lk.b[0]].interfaces.append(lk.b[1])
    return topo


def _merge(node, kinds, defaults, kind):
    """containerlab inheritance: node > kinds[kind] > defaults."""
    out = dict(defaults) if isinstance(defaults, dict) else {}
    if isinstance(kinds.get(kind), dict):
        out.update(kinds[kind])
    out.update(node)
    return out


def _check_node(c, topo, nname, ndata, defaults, kinds):
    p = ("topology", "nodes", nname)
    if not NAME_RE.match(nname):
        c.err(p, "invalid node name (letters, digits, '-', '_')")
        return None
    if len(nname) > MAX_NODE_NAME:
        c.err(p, "node name longer than %d characters" % MAX_NODE_NAME)
        return None
    if ndata is None:
        ndata = {}
    if not isinstance(ndata, dict):
        c.err(p, "must be a mapping (kind, image, ...)")
        return None
    node = Node(nname, c.line(p))
    kind = ndata.get("kind", defaults.get("kind", "linux"))
    if not isinstance(kind, str) or kind not in KINDS:
        kp = p + ("kind",) if "kind" in ndata else ("topology", "defaults",
                                                    "kind")
        c.err(kp, "unsupported kind %r (labctl runs: %s)"
              % (kind, ", ".join(KINDS)))
        return None
    node.kind = kind
    merged = _merge(ndata, kinds, defaults, kind)

    def where(key):
        if key in ndata:
            return p + (key,)
        if isinstance(kinds.get(kind), dict) and key in kinds[kind]:
            return ("topology", "kinds", kind, key)
        return ("topology", "defaults", key)

    image = merged.get("image")
    if image is not None and not isinstance(image, str):
        c.err(where("image"), "must be a string")
        image = None
    node.image = image
    node.role = role_for(kind, image)

    ex = merged.get("exec") or []
    if not isinstance(ex, list):
        c.err(where("exec"), "must be a list of commands")
        ex = []
    for i, cmd in enumerate(ex):
        if not isinstance(cmd, str) or not cmd.strip():
            c.err(where("exec") + (i,), "must be a command string")
            continue
        node.exec.append(cmd)
        node.exec_lines.append(c.line(where("exec") + (i,)))

    wp_bind = None
    binds = merged.get("binds") or []
    if not isinstance(binds, list):
        c.err(where("binds"), "must be a list of 'host-path:container-path'")
        binds = []
    for i, b in enumerate(binds):
        bp = where("binds") + (i,)
        pb = _parse_bind(b) if isinstance(b, str) else None
        if pb is None:
            c.err(bp, "expected 'host-path:container-path[:ro]', got %r" % (b,))
            continue
        src, dst = pb
        asrc = os.path.normpath(os.path.join(topo.dir, src))
        node.binds.append((asrc, dst))
        if dst in (FRR_CONF_TARGET, FRR_DAEMONS_TARGET, BIRD_CONF_TARGET,
                   WAYPOINT_CONF_TARGET):
            if not os.path.isfile(asrc):
                c.err(bp, "file %s not found" % src)
                continue
            if dst == WAYPOINT_CONF_TARGET:
                if node.role == "waypoint":
                    node.config = asrc
                    wp_bind = (bp, asrc)
            elif dst == FRR_CONF_TARGET:
                node.config = asrc if node.role == "frr" else node.config
            elif dst == FRR_DAEMONS_TARGET:
                node.frr_daemons_file = asrc
            elif dst == BIRD_CONF_TARGET and node.role == "bird":
                node.config = asrc

    sc = merged.get("startup-config")
    if sc is not None:
        if not isinstance(sc, str):
            c.err(where("startup-config"), "must be a file path")
        else:
            asc = os.path.normpath(os.path.join(topo.dir, sc))
            if not os.path.isfile(asc):
                c.err(where("startup-config"), "file %s not found" % sc)
            elif wp_bind and not os.path.samefile(wp_bind[1], asc):
                c.err(wp_bind[0], "binds %s to %s, but startup-config "
                      "names %s: give one of them"
                      % (os.path.relpath(wp_bind[1], topo.dir),
                         WAYPOINT_CONF_TARGET, sc))
            elif node.role == "waypoint" or (node.role == "frr"
                                             and node.config is None):
                node.config = asc
    if node.role == "bird" and node.config is None:
        c.err(p, "a BIRD node needs a bind to %s" % BIRD_CONF_TARGET)
    if node.role == "frr" and node.frr_daemons_file:
        try:
            _daemons.parse_frr_daemons_file(node.frr_daemons_file)
        except ValueError as e:
            c.err(where("binds"), str(e))
    return node


def _endpoint(c, ep, path, nodes):
    """'r1:eth1' or {node: r1, interface: eth1} -> (node, ifname) or None."""
    if isinstance(ep, dict):
        n, i = ep.get("node"), ep.get("interface")
    elif isinstance(ep, str) and ":" in ep:
        n, i = ep.split(":", 1)
    else:
        c.err(path, "expected 'node:interface', got %r" % (ep,),
              line=c.line(path))
        return None
    if not isinstance(n, str) or n not in nodes:
        c.err(path[:-1], "unknown node %r" % (n,), line=c.line(path))
        return None
    if not isinstance(i, str) or not IFNAME_RE.match(i) or i == "lo":
        c.err(path[:-1], "%r is not a usable interface name for %s "
              "(1-15 letters, digits, '.', '-', '_'; not 'lo')" % (i, n),
              line=c.line(path))
        return None
    return (n, i)


def _check_link(c, topo, nodes, i, ldata, seen):
    p = ("topology", "links", i)
    if not isinstance(ldata, dict):
        c.err(p, "must be a mapping with 'endpoints'")
        return None
    eps = ldata.get("endpoints")
    if eps is None:
        c.err(p, "endpoints: missing")
        return None
    if not isinstance(eps, list) or len(eps) != 2:
        c.err(p + ("endpoints",), "must list exactly two endpoints "
              "['node:interface', 'node:interface']")
        return None
    ends = []
    for j, ep in enumerate(eps):
        e = _endpoint(c, ep, p + ("endpoints", j), nodes)
        if e is None:
            return None
        if e[0] not in topo.nodes:
            return None     # the node itself had errors
        if e in seen:
            c.err(p + ("endpoints",), "%s:%s is already used by links[%d]"
                  % (e[0], e[1], seen[e]), line=c.line(p + ("endpoints", j)))
            return None
        ends.append(e)
    if ends[0] == ends[1]:
        c.err(p + ("endpoints",), "both ends are %s:%s" % ends[0])
        return None
    mtu = ldata.get("mtu")
    if mtu is not None and (not isinstance(mtu, int) or isinstance(mtu, bool)
                            or not 68 <= mtu <= 65535):
        c.err(p + ("mtu",), "must be a number from 68 to 65535")
        return None
    for e in ends:
        seen[e] = i
    return Link(i, ends[0], ends[1], c.line(p), mtu)
