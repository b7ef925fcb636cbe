"""The harness's own logic, no root needed: json_cmp (expected is a subset,
wildcards for volatile values) and the reading of leak reports.

    /usr/bin/python3 -m pytest -v tests/topo/harness
"""

import json
import os

import pytest

from lablib import lab as lm
from lablib.jsoncmp import (VOLATILE_KEYS, assert_json, json_cmp,
                            load_expected)

HERE = os.path.dirname(os.path.abspath(__file__))

# A ribd "show ip route json" as it looks on r1 of the demo.
RIBD = {
    "10.3.1.0/24": [{
        "prefix": "10.3.1.0/24", "protocol": "static", "selected": True,
        "installed": True, "distance": 1, "metric": 0,
        "uptime": "00:00:07",
        "nexthops": [{"ip": "10.0.12.2", "interfaceName": "eth1",
                      "interfaceIndex": 7, "active": True, "fib": True}],
    }, {
        "prefix": "10.3.1.0/24", "protocol": "static", "selected": False,
        "installed": False, "distance": 200, "metric": 0,
        "uptime": "00:00:07",
        "nexthops": [{"ip": "10.0.14.4", "interfaceName": "eth2",
                      "interfaceIndex": 8, "active": True}],
    }],
    "10.1.1.0/24": [{
        "prefix": "10.1.1.0/24", "protocol": "connected", "selected": True,
        "nexthops": [{"directlyConnected": True, "interfaceName": "eth3"}],
    }],
}


def test_equal_documents_match():
    assert json_cmp(RIBD, RIBD) is None
    assert json_cmp(1, 1) is None and json_cmp("a", "a") is None
    assert json_cmp([], []) is None and json_cmp({}, {}) is None


def test_expected_is_a_subset():
    exp = {"10.3.1.0/24": [{"distance": 1, "nexthops": [{"ip": "10.0.12.2"}]}]}
    assert json_cmp(RIBD, exp) is None
    assert json_cmp(RIBD, {}) is None


def test_difference_names_the_path():
    exp = {"10.3.1.0/24": [{"selected": True,
                            "nexthops": [{"ip": "10.0.14.4"}]}]}
    res = json_cmp(RIBD, exp)
    assert res
    text = str(res)
    assert '$["10.3.1.0/24"][0]: no actual element matches' in text
    # the closest candidate (the selected route) says which field differs
    assert 'nexthops[0]: no actual element matches {"ip": "10.0.14.4"}' in text
    assert "the closest, actual element 0" in text


def test_scalar_mismatch_message():
    res = json_cmp({"a": {"b": 1}}, {"a": {"b": 2}})
    assert res.errors == ["$.a.b: expected 2, got 1"]
    res = json_cmp({"a": "x"}, {"a": "y"})
    assert res.errors == ['$.a: expected "y", got "x"']


def test_missing_and_absent_keys():
    res = json_cmp({"a": 1}, {"b": 1})
    assert res.errors == ["$.b: missing (expected 1)"]
    # null in the expected document: the key must not be there
    assert json_cmp({"a": 1}, {"b": None}) is None
    res = json_cmp({"a": 1, "b": 2}, {"b": None})
    assert res.errors == ["$.b: should be absent, got 2"]
    # a route that must be gone from the table
    assert json_cmp(RIBD, {"10.99.0.0/16": None}) is None
    assert json_cmp(RIBD, {"10.1.1.0/24": None})


def test_types_are_not_confused():
    assert json_cmp({"a": 1}, {"a": 1.0}) is None
    assert json_cmp({"a": True}, {"a": 1})
    assert json_cmp({"a": 1}, {"a": True})
    assert json_cmp({"a": "1"}, {"a": 1})
    assert json_cmp({"a": [1]}, {"a": {"x": 1}})
    assert json_cmp({"a": {"x": 1}}, {"a": [1]})
    assert json_cmp({"a": None}, {"a": "*"}) is None


def test_lists_unordered_distinct_elements():
    assert json_cmp([3, 1, 2], [1, 2]) is None
    assert json_cmp([3, 1, 2], [2, 3, 1]) is None
    # each expected element needs its own actual element
    res = json_cmp([1, 2], [1, 1])
    assert res and "taken by other expected elements" in str(res)
    # a greedy first pick would fail here; the matching does not
    actual = [{"a": 1, "b": 1}, {"a": 1}]
    assert json_cmp(actual, [{"a": 1}, {"b": 1}]) is None
    res = json_cmp([], [{"a": 1}])
    assert "the array is empty" in str(res)


def test_lists_ordered_and_exact():
    assert json_cmp([1, 2], [2, 1], ordered=True)
    assert json_cmp([1, 2], [1, 2], ordered=True) is None
    res = json_cmp([1, 2, 3], [1, 2], ordered=True)
    assert "expected 2 elements, got 3" in str(res)
    assert json_cmp([1, 2, 3], [1, 2]) is None
    assert json_cmp([1, 2, 3], [1, 2], exact=True)
    assert json_cmp([2, 1], [1, 2], exact=True) is None


def test_exact_dicts():
    assert json_cmp({"a": 1, "b": 2}, {"a": 1}, exact=True).errors == [
        "$.b: unexpected key (value 2)"]
    # volatile keys do not count as unexpected
    assert json_cmp({"a": 1, "uptime": "00:00:01"}, {"a": 1},
                    exact=True) is None


def test_wildcard_any_value():
    exp = {"10.3.1.0/24": [{"uptime": "*", "nexthops": "*"}]}
    assert json_cmp(RIBD, exp, ignore=()) is None
    res = json_cmp({"a": 1}, {"b": "*"})
    assert res.errors == ['$.b: missing (expected "*")']


def test_wildcard_regex():
    up = {"uptime": "re:[0-9]{2}:[0-9]{2}:[0-9]{2}"}
    assert json_cmp({"uptime": "00:03:12"}, up, ignore=()) is None
    res = json_cmp({"uptime": "3 days"}, up, ignore=())
    assert 'does not match /[0-9]{2}:[0-9]{2}:[0-9]{2}/' in str(res)
    assert json_cmp({"n": 42}, {"n": "re:4[0-9]"}) is None
    assert json_cmp({"n": {"x": 1}}, {"n": "re:.*"})
    # a full match, not a search
    assert json_cmp({"s": "eth10"}, {"s": "re:eth1"})


def test_wildcard_range():
    assert json_cmp({"t": 3500}, {"t": "range:3000..4000"}) is None
    assert json_cmp({"t": 3.5}, {"t": "range:3..4"}) is None
    assert json_cmp({"t": "3500"}, {"t": "range:3000..4000"}) is None
    assert json_cmp({"t": 0}, {"t": "range:..4000"}) is None
    assert json_cmp({"t": -1}, {"t": "range:0.."})
    assert json_cmp({"t": -5}, {"t": "range:-10..-1"}) is None
    res = json_cmp({"t": 4001}, {"t": "range:3000..4000"})
    assert res.errors == ["$.t: 4001 is outside 3000..4000"]
    res = json_cmp({"t": "soon"}, {"t": "range:0..1"})
    assert "expected a number" in str(res)
    assert json_cmp({"t": True}, {"t": "range:0..1"})


def test_callable_predicate():
    assert json_cmp({"n": 4}, {"n": lambda v: v % 2 == 0}) is None

    def even(v):
        return v % 2 == 0
    res = json_cmp({"n": 3}, {"n": even})
    assert res.errors == ["$.n: 3 is not accepted by even"]
    res = json_cmp({"n": "x"}, {"n": even})
    assert "even(\"x\") raised TypeError" in str(res)


def test_volatile_keys_ignored_by_default():
    assert "uptime" in VOLATILE_KEYS
    a = {"uptime": "00:00:01", "interfaceIndex": 4, "x": 1}
    e = {"uptime": "00:09:99", "interfaceIndex": 9, "x": 1}
    assert json_cmp(a, e) is None
    res = json_cmp(a, e, ignore=())
    assert len(res.errors) == 2
    assert json_cmp(a, {"x": 2}, ignore=["x"]) is None


def test_captured_output_as_expected_file(tmp_path):
    """An output captured on one run matches another run's output, whose
    uptimes and ifindexes differ."""
    path = tmp_path / "r1-routes.json"
    path.write_text(json.dumps(RIBD))
    later = json.loads(json.dumps(RIBD))
    for rs in later.values():
        for r in rs:
            r["uptime"] = "01:02:03"
            for nh in r["nexthops"]:
                if "interfaceIndex" in nh:
                    nh["interfaceIndex"] += 10
    assert json_cmp(later, load_expected(str(path))) is None
    assert_json(later, str(path))
    later["10.3.1.0/24"][0]["nexthops"][0]["ip"] = "10.0.14.4"
    with pytest.raises(AssertionError) as ei:
        assert_json(later, str(path), what="r1 routes")
    assert "r1 routes differs from the expected" in str(ei.value)


def test_bad_expected_file_names_the_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"a": 1,}')
    with pytest.raises(ValueError) as ei:
        load_expected(str(path))
    assert str(path) in str(ei.value)


def test_result_is_true_and_printable():
    res = json_cmp({"a": 1}, {"a": 2})
    assert bool(res) and "JsonCmpResult" in repr(res)
    assert str(res) == "$.a: expected 2, got 1"


# --- leak reports -------------------------------------------------------------

def test_shutdown_findings_read_leak_lines(tmp_path):
    """The leak report lines of every Waypoint daemon's log, named by node
    and daemon; other roles' logs are not read."""
    ribd_log = tmp_path / "ribd.log"
    ribd_log.write_text(
        "2024-01-01T00:00:00 ribd[12]: ribd stopping\n"
        "2024-01-01T00:00:00 ribd[12]: memory leak: RIB route: 2 "
        "allocations, 160 bytes\n"
        "2024-01-01T00:00:00 ribd[12]: memory leak: nexthop: 1 "
        "allocations, 48 bytes\n")
    clean = tmp_path / "mgmtd.log"
    clean.write_text("mgmtd stopping\n")
    frr_log = tmp_path / "zebra.log"
    frr_log.write_text("memory leak: not ours\n")
    st = {"nodes": {
        "r1": {"node": "r1", "role": "waypoint", "daemons": [
            {"name": "mgmtd", "log": str(clean)},
            {"name": "ribd", "log": str(ribd_log)},
            {"name": "ospfd", "log": str(tmp_path / "missing.log")}]},
        "f1": {"node": "f1", "role": "frr", "daemons": [
            {"name": "zebra", "log": str(frr_log)}]},
    }}
    assert lm.shutdown_findings(st) == [
        "node r1: ribd: memory leak: RIB route: 2 allocations, 160 bytes",
        "node r1: ribd: memory leak: nexthop: 1 allocations, 48 bytes",
    ]
    ribd_log.write_text("ribd stopping\n")
    assert lm.shutdown_findings(st) == []
