# Interop tests: the topology harness (tools/lablib) with real peers
# (FRR, BIRD) as nodes of the lab; see doc/labs.md.
import os
import sys

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                     "tools")
sys.path.insert(0, os.path.normpath(TOOLS))

from lablib.fixtures import *  # noqa: E402,F401,F403
