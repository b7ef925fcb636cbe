"""pytest fixtures for topology tests; a conftest.py pulls them in with
``from lablib.fixtures import *``.

``make_lab(path, timeout=90)``
    brings a topology up and returns its :class:`lablib.harness.Lab`; every
    lab made in a test is taken down when the test ends, passed or failed.
    When the test failed, the node logs are printed first (pytest shows
    them under "Captured stdout teardown").
"""

import pytest

from .harness import Lab, require_root

__all__ = ["make_lab", "pytest_runtest_makereport"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


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
    failed = failed is not None and failed.failed
    errors = []
    for lab in reversed(labs):
        if failed:
            print(lab.logs())
        try:
            lab.down()
        except Exception as e:          # noqa: BLE001 - report all
            errors.append("%s: %s" % (lab.name, e))
    if errors:
        pytest.fail("lab teardown: " + "; ".join(errors))
