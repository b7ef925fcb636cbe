"""lablib: containerlab topologies in network namespaces, for labctl and
the pytest topology tests.

Modules:

- :mod:`lablib.topology` parse and check ``*.clab.yml`` (errors carry
  ``file:line: field``);
- :mod:`lablib.daemons`  which daemons a router config needs;
- :mod:`lablib.lab`      ``up()`` / ``down()`` / ``status()``;
- :mod:`lablib.roles`    how FRR, BIRD and Waypoint nodes are started;
- :mod:`lablib.system`   ``ip``, namespaces, processes;
- :mod:`lablib.state`    ``/run/waypoint-lab/<lab>/state.json``;
- :mod:`lablib.graph`    ASCII and Graphviz drawings;
- :mod:`lablib.harness`  the pytest side: ``Lab``, ``wait_until``.
"""

from .system import LabError
from .topology import TopologyError, load as load_topology

__all__ = ["LabError", "TopologyError", "load_topology"]
