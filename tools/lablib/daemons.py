"""Which daemons a router node runs, decided from its configuration.

Waypoint and FRR read the same configuration syntax, so one table maps
configuration stanzas to the protocol daemon that needs them.  Each suite
then adds the daemons it always runs:

* Waypoint: ``mgmtd`` and ``ribd`` always (``ribd`` also owns
  ``interface`` and ``ip route``), then the protocol daemons below.  Only
  mgmtd reads the node's config file (``-f``); every other daemon takes
  its part from mgmtd in the node's pathspace.
* FRR: ``zebra`` and ``staticd`` always, then the protocol daemons below,
  unless the node binds an FRR ``daemons`` file, which then decides.

Adding a daemon is one row in :data:`STANZAS` (and, for Waypoint, one in
:data:`WAYPOINT_DAEMONS`).
"""

import re

# (daemon, [regexes matched against each stripped config line])
STANZAS = [
    ("bfdd", [r"^bfd$", r"\bbfd\b"]),
    ("bgpd", [r"^router bgp\b"]),
    ("ospfd", [r"^router ospf\b(?!6)"]),
    ("ospf6d", [r"^router ospf6\b"]),
    ("isisd", [r"^router isis\b"]),
    ("pimd", [r"^ip pim\b", r"^router pim\b", r"^ip igmp\b",
              r"^ip multicast\b"]),
    ("vrrpd", [r"^vrrp\b"]),
    ("ripd", [r"^router rip$"]),
    ("ripngd", [r"^router ripng\b"]),
    ("eigrpd", [r"^router eigrp\b"]),
    ("babeld", [r"^router babel\b"]),
    ("fabricd", [r"^router openfabric\b"]),
    ("ldpd", [r"^mpls ldp\b"]),
    ("pbrd", [r"^pbr-map\b"]),
    ("dhcpd", [r"^ip dhcp\b", r"^dhcp-server\b"]),
]

_STANZA_RE = [(d, [re.compile(r) for r in rs]) for d, rs in STANZAS]

# Waypoint: daemon -> (always, reads -f CONFIG).  Order is start order:
# mgmtd owns the configuration and hands each daemon its part, ribd must be
# up before any protocol daemon connects to it.  A daemon of
# MGMTD_CLIENTS takes its configuration from mgmtd (no -f) whenever mgmtd
# loaded the node's whole config file; mgmtd refuses a file with any line
# its YANG modules do not model, and then every daemon reads the file
# itself, as do the daemons not in MGMTD_CLIENTS.  With
# WAYPOINT_RIB_FROM_MGMTD=1 in the environment ribd takes its
# configuration from mgmtd in any case (tests/topo/mgmt does that).
WAYPOINT_DAEMONS = [
    ("mgmtd", True, True),
    ("ribd", True, True),
    ("bfdd", False, True),
    ("ospfd", False, True),
    ("ospf6d", False, False),
    ("isisd", False, False),
    ("bgpd", False, False),
    ("pimd", False, False),
    ("vrrpd", False, False),
    ("dhcpd", False, False),
]

# Waypoint daemons that are clients of mgmtd when started without -f.
MGMTD_CLIENTS = {"ribd", "bfdd", "ospfd"}

# FRR 8.4 daemons labctl knows how to start, in start order.
FRR_DAEMONS = ["zebra", "staticd", "bfdd", "ospfd", "ospf6d", "isisd",
               "fabricd", "ripd", "ripngd", "eigrpd", "babeld", "ldpd",
               "pbrd", "nhrpd", "pathd", "sharpd", "bgpd", "pimd", "pim6d",
               "vrrpd"]
FRR_ALWAYS = ["zebra", "staticd"]


def config_lines(path):
    """Lines of a config file, comments dropped, whitespace stripped."""
    if not path:
        return []
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            s = raw.strip()
            if s and not s.startswith("!") and not s.startswith("#"):
                out.append(s)
    return out


def needed_protocols(path):
    """Protocol daemons that the config file at PATH needs (a set)."""
    need = set()
    for line in config_lines(path):
        for daemon, regs in _STANZA_RE:
            if any(r.search(line) for r in regs):
                need.add(daemon)
    return need


def frr_daemons(conf, daemons_file=None):
    """FRR daemons for a node, in start order.

    From the ``daemons`` file if given (``bgpd=yes`` lines), else inferred
    from ``conf``; zebra and staticd always.
    """
    if daemons_file:
        want, _ = parse_frr_daemons_file(daemons_file)
    else:
        want = needed_protocols(conf) & set(FRR_DAEMONS)
    want |= set(FRR_ALWAYS)
    return [d for d in FRR_DAEMONS if d in want]


def frr_profile(conf, daemons_file=None):
    """``frr defaults X`` in the config, else ``frr_profile`` in daemons."""
    for line in config_lines(conf):
        m = re.match(r"^frr defaults (\S+)$", line)
        if m:
            return m.group(1)
    if daemons_file:
        return parse_frr_daemons_file(daemons_file)[1]
    return None


def parse_frr_daemons_file(path):
    """Read an FRR ``daemons`` file: returns (set of enabled daemons, profile).

    Raises ValueError naming the line for a daemon labctl cannot start.
    """
    want, profile = set(), None
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, raw in enumerate(f, 1):
            s = raw.strip()
            if not s or s.startswith("#"):
                continue
            m = re.match(r"^([A-Za-z0-9_]+)=(.*)$", s)
            if not m:
                continue
            key, val = m.group(1), m.group(2).strip().strip("\"'")
            if key == "frr_profile":
                profile = val or None
            elif "_" in key or key.isupper():
                continue        # bgpd_options, vtysh_enable, MAX_FDS...
            elif val == "yes":
                if key not in FRR_DAEMONS:
                    raise ValueError("%s:%d: FRR daemon %r is not supported "
                                     "by labctl" % (path, n, key))
                want.add(key)
    return want, profile


def waypoint_daemons(conf):
    """Waypoint daemons for a config, in start order: [(name, takes_conf)]."""
    need = needed_protocols(conf)
    return [(d, takes) for d, always, takes in WAYPOINT_DAEMONS
            if always or d in need]


def static_routes(conf):
    """``[(family, prefix, nexthop)]`` from top-level ``ip route P NH`` and
    ``ipv6 route P NH`` lines (nexthop an address; other forms skipped).

    Used only by the temporary fallback, like :func:`interface_addresses`.
    """
    out = []
    for line in config_lines(conf):
        m = re.match(r"^(ip|ipv6) route (\S+/\d+) ([0-9a-fA-F.:]+)$", line)
        if m and (":" in m.group(3)) == (m.group(1) == "ipv6"):
            out.append((6 if m.group(1) == "ipv6" else 4, m.group(2),
                        m.group(3)))
    return out


def interface_addresses(conf):
    """``[(ifname, family, 'addr/len')]`` from ``interface X`` blocks.

    Used only by the temporary fallback that applies addresses to
    Waypoint nodes whose daemons are not built yet.
    """
    out = []
    cur = None
    if not conf:
        return out
    with open(conf, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\n")
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            if not line[0].isspace():
                m = re.match(r"^interface (\S+)(\s+vrf\s+\S+)?\s*$", s)
                cur = m.group(1) if m and not m.group(2) else None
                continue
            if s in ("!", "exit", "exit-vrf"):
                cur = None
                continue
            if cur is None:
                continue
            m = re.match(r"^(ip|ipv6) address (\S+/\d+)", s)
            if m:
                out.append((cur, 6 if m.group(1) == "ipv6" else 4,
                            m.group(2)))
    return out
