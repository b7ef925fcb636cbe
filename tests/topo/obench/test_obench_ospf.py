"""Smoke test of the OSPF benchmark (tools/bench/ospf/run --quick).

The benchmark's quick mode floods a grid of 100 routers into Waypoint's
ospfd and into FRR's ospfd, one after the other (labs obench-aw,
obench-af).  This keeps the benchmark from rotting: it asserts only that
both routers converged, to the same prefix count, never a time.
"""

import glob
import json
import os
import subprocess
import sys

import pytest

from lablib.harness import require_frr, require_root, require_waypoint

REPO = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", "..", ".."))
RUN = os.path.join(REPO, "tools", "bench", "ospf", "run")


def test_obench_quick(tmp_path):
    require_root()
    require_frr("ospfd")
    require_waypoint("ribd", "ospfd")
    if not glob.glob(os.path.join(REPO, "build*", "tools", "bench",
                                  "nl_bench")):
        pytest.skip("tools/bench/nl_bench is not built")
    out = tmp_path / "quick.json"
    cp = subprocess.run([sys.executable, RUN, "--quick", "--json", str(out)],
                        capture_output=True, text=True, timeout=300)
    print(cp.stdout, cp.stderr)
    assert out.exists(), "the benchmark wrote no results: %s" % cp.stderr
    res = json.loads(out.read_text())["results"]
    assert sorted(r["impl"] for r in res) == ["frr", "waypoint"]
    for r in res:
        assert "error" not in r, "%s: %s" % (r["impl"], r["error"])
    counts = {r["impl"]: r["fib_prefixes"] for r in res}
    assert counts == {"waypoint": 100, "frr": 100}
    assert cp.returncode == 0
