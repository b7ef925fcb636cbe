"""Compare a show command's JSON with an expected document.

The expected side says only what matters, as in FRR's topotests
``json_cmp``: it is a *subset* of the actual output.

* dict: every key of the expected dict must be in the actual one, with a
  matching value; other actual keys are ignored.  An expected value of
  ``None`` (JSON ``null``) means "this key must be absent".
* list: each expected element must match a *different* element of the
  actual list, in any order; extra actual elements are ignored.
  ``ordered=True`` compares element by element instead (same length).
* anything else: equal (``1`` and ``1.0`` are equal; ``True`` and ``1`` not).

``exact=True`` also fails on actual keys and list elements that the
expected side does not name.

Volatile values are written in the expected document itself, so expected
files stay plain JSON:

``"*"``
    any value, as long as the key is there (uptimes, timers, ifindexes);
``"re:PATTERN"``
    a scalar whose text fully matches the regular expression
    (``"re:00:0[0-9]:[0-9]{2}"``);
``"range:LO..HI"``
    a number (or numeric string) with LO <= value <= HI; either bound may
    be left out (``"range:..4000"``);

and from Python any callable, called with the actual value, must return
true.  Keys named in ``ignore`` are skipped wherever they appear (default
:data:`VOLATILE_KEYS`: uptimes, ages, kernel-assigned ids), which is what
makes a captured output usable as an expected file as it is.

``json_cmp`` returns None when the actual document matches, else a
:class:`JsonCmpResult` listing each difference with its path::

    $["10.3.1.0/24"][0].nexthops[0].ip: expected "10.0.12.2", got "10.0.14.4"
"""

import json
import numbers
import re

__all__ = ["json_cmp", "JsonCmpResult", "VOLATILE_KEYS", "load_expected",
           "assert_json"]

# Keys whose values change from run to run on the same topology: elapsed
# times, timers counting down, and numbers the kernel or a daemon hands out.
VOLATILE_KEYS = frozenset([
    "uptime", "upTime", "age", "lastUpdate", "lastChange", "lastReset",
    "expires", "expiresIn", "timer", "holdTimer", "deadTimer",
    "routerDeadIntervalTimerDueMsec", "lastPrefixListUpdate",
    "interfaceIndex", "ifindex", "ifIndex", "nexthopGroupId",
    "installedNexthopGroupId", "internalNextHopNum",
    "internalNextHopActiveNum", "internalStatus", "internalFlags",
])


class JsonCmpResult:
    """The differences found by :func:`json_cmp` (always true)."""

    def __init__(self, errors):
        self.errors = list(errors)

    def __bool__(self):
        return True

    def __str__(self):
        return "\n".join(self.errors)

    def __repr__(self):
        return "JsonCmpResult(%r)" % self.errors


def json_cmp(actual, expected, exact=False, ordered=False,
             ignore=VOLATILE_KEYS):
    """None if ACTUAL matches EXPECTED (see the module doc), else a
    :class:`JsonCmpResult` naming every difference."""
    errs = _cmp(actual, expected, "$", exact, ordered, frozenset(ignore))
    return JsonCmpResult(errs) if errs else None


def load_expected(path):
    """Read an expected JSON file, naming the file in any syntax error."""
    with open(path, encoding="utf-8") as f:
        try:
            return json.load(f)
        except ValueError as e:
            raise ValueError("%s: %s" % (path, e)) from None


def assert_json(actual, expected, what="JSON", **kw):
    """Raise AssertionError listing the differences unless ACTUAL matches
    EXPECTED (a document, or the path of an expected file)."""
    if isinstance(expected, str) and expected.endswith(".json"):
        expected = load_expected(expected)
    res = json_cmp(actual, expected, **kw)
    if res:
        raise AssertionError("%s differs from the expected:\n%s"
                             % (what, res))


# --- the comparison ---------------------------------------------------------

def _show(v, limit=120):
    s = json.dumps(v, sort_keys=True)
    return s if len(s) <= limit else s[:limit - 3] + "..."


def _key_path(path, key):
    if isinstance(key, str) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
        return "%s.%s" % (path, key)
    return "%s[%s]" % (path, json.dumps(key))


_RANGE = re.compile(r"^range:\s*(-?[0-9.eE+]*)\s*\.\.\s*(-?[0-9.eE+]*)\s*$")


def _special(actual, expected, path):
    """Errors for a wildcard EXPECTED, or None if EXPECTED is no wildcard."""
    if callable(expected) and not isinstance(expected, type):
        name = getattr(expected, "__name__", "predicate")
        try:
            ok = expected(actual)
        except Exception as e:          # noqa: BLE001 - reported
            return ["%s: %s(%s) raised %s: %s"
                    % (path, name, _show(actual), type(e).__name__, e)]
        return [] if ok else ["%s: %s is not accepted by %s"
                              % (path, _show(actual), name)]
    if not isinstance(expected, str):
        return None
    if expected == "*":
        return []
    if expected.startswith("re:"):
        if isinstance(actual, (dict, list)) or actual is None:
            return ["%s: expected a value matching /%s/, got %s"
                    % (path, expected[3:], _show(actual))]
        text = actual if isinstance(actual, str) else _show(actual)
        if re.fullmatch(expected[3:], text):
            return []
        return ["%s: %s does not match /%s/" % (path, _show(actual),
                                                expected[3:])]
    m = _RANGE.match(expected)
    if m:
        lo = float(m.group(1)) if m.group(1) else None
        hi = float(m.group(2)) if m.group(2) else None
        try:
            if isinstance(actual, bool):
                raise ValueError
            v = float(actual)
        except (TypeError, ValueError):
            return ["%s: expected a number in %s, got %s"
                    % (path, expected[6:], _show(actual))]
        if (lo is None or v >= lo) and (hi is None or v <= hi):
            return []
        return ["%s: %s is outside %s" % (path, _show(actual), expected[6:])]
    return None


def _cmp(actual, expected, path, exact, ordered, ignore):
    sp = _special(actual, expected, path)
    if sp is not None:
        return sp
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return ["%s: expected an object, got %s" % (path, _show(actual))]
        errs = []
        for k, ev in expected.items():
            if k in ignore:
                continue
            p = _key_path(path, k)
            if ev is None:
                if k in actual:
                    errs.append("%s: should be absent, got %s"
                                % (p, _show(actual[k])))
            elif k not in actual:
                errs.append("%s: missing (expected %s)" % (p, _show(ev)))
            else:
                errs += _cmp(actual[k], ev, p, exact, ordered, ignore)
        if exact:
            for k in actual:
                if k not in expected and k not in ignore:
                    errs.append("%s: unexpected key (value %s)"
                                % (_key_path(path, k), _show(actual[k])))
        return errs
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return ["%s: expected an array, got %s" % (path, _show(actual))]
        if ordered:
            return _cmp_ordered(actual, expected, path, exact, ordered,
                                ignore)
        return _cmp_unordered(actual, expected, path, exact, ordered, ignore)
    if expected is None:
        # only reachable inside a list: null matches null
        return [] if actual is None else [
            "%s: expected null, got %s" % (path, _show(actual))]
    if isinstance(expected, bool) or isinstance(actual, bool):
        same = type(expected) is type(actual) and expected == actual
    elif isinstance(expected, numbers.Number) and isinstance(
            actual, numbers.Number):
        same = expected == actual
    else:
        same = type(expected) is type(actual) and expected == actual
    if same:
        return []
    return ["%s: expected %s, got %s" % (path, _show(expected), _show(actual))]


def _cmp_ordered(actual, expected, path, exact, ordered, ignore):
    errs = []
    if len(actual) != len(expected):
        errs.append("%s: expected %d elements, got %d"
                    % (path, len(expected), len(actual)))
    for i, (a, e) in enumerate(zip(actual, expected)):
        errs += _cmp(a, e, "%s[%d]" % (path, i), exact, ordered, ignore)
    return errs


def _cmp_unordered(actual, expected, path, exact, ordered, ignore):
    """Each expected element matched by a distinct actual element: a
    bipartite matching (augmenting paths; the lists are short)."""
    ok = [[not _cmp(a, e, path, exact, ordered, ignore) for a in actual]
          for e in expected]
    owner = [None] * len(actual)        # actual index -> expected index

    def augment(ei, seen):
        for ai, good in enumerate(ok[ei]):
            if good and ai not in seen:
                seen.add(ai)
                if owner[ai] is None or augment(owner[ai], seen):
                    owner[ai] = ei
                    return True
        return False

    errs = []
    for ei, e in enumerate(expected):
        if augment(ei, set()):
            continue
        p = "%s[%d]" % (path, ei)
        if not any(ok[ei]):
            # Say why the closest candidate failed: usually one field.
            # Paths in the reason are paths into the actual document.
            best, best_ai = None, None
            for ai, a in enumerate(actual):
                why = _cmp(a, e, "%s[%d]" % (path, ai), exact, ordered,
                           ignore)
                if best is None or len(why) < len(best):
                    best, best_ai = why, ai
            if best is None:
                errs.append("%s: no actual element (the array is empty) "
                            "matches %s" % (p, _show(e)))
            else:
                errs.append("%s: no actual element matches %s; the closest, "
                            "actual element %d: %s"
                            % (p, _show(e), best_ai, "; ".join(best[:3])))
        else:
            errs.append("%s: its matching elements are all taken by other "
                        "expected elements: %s" % (p, _show(e)))
    if exact and len(actual) != len(expected):
        errs.append("%s: expected %d elements, got %d"
                    % (path, len(expected), len(actual)))
    return errs
