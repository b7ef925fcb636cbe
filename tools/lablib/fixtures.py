"""pytest fixtures for topology tests; a conftest.py pulls them in with
``from lablib.fixtures import *``.

``make_lab(path, timeout=90)``
    brings a topology up and returns its :class:`lablib.harness.Lab`; every
    lab made in a test is taken down when the test ends, passed or failed.

``lab_fixture(path, scope="module", timeout=90, requires=None)``
    makes a fixture (assign it to a name in the test module) that brings
    PATH up once for the scope and takes it down at its end: the lab that
    a module's tests share.  REQUIRES, if given, runs first (call
    ``require_frr`` and friends there, to skip).

In both, when a test failed, :meth:`Lab.diagnostics` is printed (show
outputs, kernel routes, logs of every node; pytest shows them under
"Captured stdout teardown"), and a Waypoint daemon that reported a leak
or would not stop at ``down`` fails the test at teardown.
"""

import pytest

from .harness import Lab, module_lab, require_root

__all__ = ["make_lab", "lab_fixture", "pytest_runtest_makereport",
           "pytest_configure"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def _finish(labs, failed):
    """Take LABS down (diagnostics first if FAILED); fail on teardown
    problems and on the daemons' shutdown reports."""
    errors = []
    for lab in reversed(labs):
        if failed:
            print(lab.diagnostics())
        try:
            lab.down()
        except Exception as e:          # noqa: BLE001 - report all
            errors.append("%s: %s" % (lab.name, e))
            continue
        try:
            lab.check_shutdown()
        except AssertionError as e:
            errors.append(str(e))
    if errors:
        pytest.fail("lab teardown: " + "\n".join(errors), pytrace=False)


@pytest.fixture
def make_lab(request):
    require_root()
    labs = []

    def _make(path, timeout=90):
        lab = Lab(path, timeout=timeout)
        labs.append(lab)
        lab.up()
        return lab

    yield _make
    failed = getattr(request.node, "rep_call", None)
    _finish(labs, failed is not None and failed.failed)


def lab_fixture(path, scope="module", timeout=90, requires=None, **needs):
    """A fixture bringing PATH up for SCOPE (see the module doc)::

        lab = lab_fixture(os.path.join(HERE, "topologies", "pair"),
                          requires=lambda: require_frr())

    NEEDS are module_lab's (waypoint=, frr=, bird=, kernel=)."""

    @pytest.fixture(scope=scope)
    def _lab(request):
        require_root()
        if requires:
            requires()
        before = request.session.testsfailed
        yield from module_lab(
            path, timeout=timeout,
            failed=lambda: request.session.testsfailed > before, **needs)

    return _lab


def pytest_configure(config):
    """Registered in both conftests (tests/topo, tests/interop)."""
    config.addinivalue_line(
        "markers", "fullkernel: needs a kernel feature this machine's kernel "
        "may lack (vrf devices); `tools/run-tests vm` runs these in a guest "
        "with Debian's kernel (tools/vmrun)")
