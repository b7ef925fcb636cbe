"""Drawings of a topology: an ASCII adjacency list and Graphviz DOT."""

import shutil
import subprocess

_COLORS = {"waypoint": "#cfe2ff", "frr": "#ffe5b4", "bird": "#d4f4dd",
           "bridge": "#eeeeee", "host": "#ffffff"}
_SHAPES = {"host": "ellipse", "bridge": "diamond"}


def ascii_graph(topo):
    """Nodes with their role and, under each, its links::

        r1  [waypoint]  demo-r1
            eth1 ---- r2:eth1
    """
    lines = ["lab %s: %d nodes, %d links" % (topo.name, len(topo.nodes),
                                            len(topo.links)), ""]
    w = max([len(n) for n in topo.nodes] + [2])
    ifw = max([len(i) for n in topo.nodes.values() for i in n.interfaces]
              + [4])
    for name, node in topo.nodes.items():
        lines.append("  %-*s  %-10s  netns %s" % (w, name, "[%s]" % node.role,
                                                   topo.netns(name)))
        nbrs = topo.neighbours(name)
        if not nbrs:
            lines.append("  %*s  (no links)" % (w, ""))
        for lif, peer, pif in nbrs:
            lines.append("  %*s    %-*s ---- %s:%s" % (w, "", ifw, lif,
                                                       peer, pif))
    return "\n".join(lines) + "\n"


def _q(s):
    s = str(s).replace("\\", "\\\\").replace('"', '\\"')
    return '"%s"' % s.replace("\n", "\\n")


def dot_graph(topo):
    """The topology as a Graphviz ``graph``: one box per router, an ellipse
    per host, interface names on the edge ends."""
    out = ["graph %s {" % _q(topo.name),
           '  graph [overlap=false, splines=true, fontname="Helvetica"];',
           '  node [fontname="Helvetica", style=filled];',
           '  edge [fontname="Helvetica", fontsize=9];']
    for name, node in topo.nodes.items():
        out.append("  %s [shape=%s, fillcolor=%s, label=%s];"
                   % (_q(name), _SHAPES.get(node.role, "box"),
                      _q(_COLORS.get(node.role, "#ffffff")),
                      _q("%s\n%s" % (name, node.role))))
    for lk in topo.links:
        out.append("  %s -- %s [taillabel=%s, headlabel=%s];"
                   % (_q(lk.a[0]), _q(lk.b[0]), _q(lk.a[1]), _q(lk.b[1])))
    out.append("}")
    return "\n".join(out) + "\n"


def write_svg(topo, path):
    """Write an SVG drawing to PATH with Graphviz's ``dot``.

    Without ``dot`` installed, writes the DOT source next to PATH instead
    (``x.svg`` -> ``x.dot``).  Returns (written_path, message).
    """
    src = dot_graph(topo)
    if shutil.which("dot"):
        cp = subprocess.run(["dot", "-Tsvg", "-o", path], input=src,
                            text=True, capture_output=True)
        if cp.returncode == 0:
            return path, "wrote %s" % path
        raise RuntimeError("dot failed: %s" % cp.stderr.strip())
    dpath = path[:-4] + ".dot" if path.endswith(".svg") else path + ".dot"
    with open(dpath, "w") as f:
        f.write(src)
    return dpath, ("graphviz 'dot' is not installed (apt-get install "
                   "graphviz): wrote the DOT source to %s instead" % dpath)
