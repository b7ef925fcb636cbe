"""A Waypoint node's config from a bind to /etc/waypoint/waypoint.conf,
the place the container image reads it (containerlab gives kind: linux
nodes no startup-config), or from startup-config; no root needed."""

import textwrap

import pytest

from lablib import topology as tpm

HEAD = """\
name: wb
topology:
  nodes:
    r1:
      kind: linux
      image: waypoint/waypoint:latest
"""


def _topo(tmp_path, node_lines):
    (tmp_path / "r1").mkdir(exist_ok=True)
    (tmp_path / "r1" / "waypoint.conf").write_text("hostname r1\n")
    (tmp_path / "r1" / "other.conf").write_text("hostname other\n")
    f = tmp_path / "wb.clab.yml"
    f.write_text(HEAD + textwrap.indent(textwrap.dedent(node_lines), " " * 6))
    return str(f)


def test_bind_gives_the_config(tmp_path):
    t = tpm.load(_topo(tmp_path, """\
        binds:
          - r1/waypoint.conf:/etc/waypoint/waypoint.conf
        """))
    assert t.nodes["r1"].config == str(tmp_path / "r1" / "waypoint.conf")


def test_startup_config_still_works(tmp_path):
    t = tpm.load(_topo(tmp_path, "startup-config: r1/waypoint.conf\n"))
    assert t.nodes["r1"].config == str(tmp_path / "r1" / "waypoint.conf")


def test_both_naming_the_same_file(tmp_path):
    t = tpm.load(_topo(tmp_path, """\
        startup-config: r1/waypoint.conf
        binds:
          - r1/waypoint.conf:/etc/waypoint/waypoint.conf:ro
        """))
    assert t.nodes["r1"].config == str(tmp_path / "r1" / "waypoint.conf")


def test_both_naming_different_files(tmp_path):
    path = _topo(tmp_path, """\
        startup-config: r1/other.conf
        binds:
          - r1/waypoint.conf:/etc/waypoint/waypoint.conf
        """)
    with pytest.raises(tpm.TopologyError) as ei:
        tpm.load(path)
    assert str(ei.value) == (
        "%s:9: nodes.r1.binds[0]: binds r1/waypoint.conf to "
        "/etc/waypoint/waypoint.conf, but startup-config names "
        "r1/other.conf: give one of them" % path)


def test_missing_bound_file(tmp_path):
    path = _topo(tmp_path, """\
        binds:
          - r1/nothere.conf:/etc/waypoint/waypoint.conf
        """)
    with pytest.raises(tpm.TopologyError) as ei:
        tpm.load(path)
    assert "nodes.r1.binds[0]: file r1/nothere.conf not found" in str(ei.value)


def test_host_ignores_the_bind(tmp_path):
    """Only a Waypoint node takes its config from that bind."""
    path = _topo(tmp_path, """\
        binds:
          - r1/waypoint.conf:/etc/waypoint/waypoint.conf
        """)
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace("waypoint/waypoint:latest", "alpine:latest"))
    t = tpm.load(path)
    assert t.nodes["r1"].role == "host" and t.nodes["r1"].config is None
