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
    p = subprocess.Popen([sys.executable, RUN, "--quick", "--json",
                          str(out)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = p.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        # SIGTERM: the benchmark takes its labs down on the way out.
        p.terminate()
        stdout, stderr = p.communicate(timeout=120)
        pytest.fail("the benchmark did not finish in 300 s: %s" % stderr)
    print(stdout, stderr)
    assert out.exists(), "the benchmark wrote no results: %s" % stderr
    res = json.loads(out.read_text())["results"]
    assert sorted(r["impl"] for r in res) == ["frr", "waypoint"]
    for r in res:
        assert "error" not in r, "%s: %s" % (r["impl"], r["error"])
    counts = {r["impl"]: r["fib_prefixes"] for r in res}
    assert counts == {"waypoint": 100, "frr": 100}
    assert p.returncode == 0
