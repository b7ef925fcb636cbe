"""Lab state on disk: ``/run/waypoint-lab/<lab>/state.json``.

The state file is written *before* anything is created and rewritten after
every step, so ``labctl down`` can undo a lab that crashed half-way.  It
records what labctl made, nothing else::

    {
      "lab": "demo", "topology": "/abs/topologies/demo/demo.clab.yml",
      "phase": "building" | "up",
      "namespaces": ["demo-r1", ...],        # created, in order
      "temp_links": ["wl3fa9c1a", ...],      # veth ends still in the root ns
      "dirs": ["/run/waypoint/demo-r1"],     # extra dirs to remove on down
      "nodes": {
        "r1": {"netns": "demo-r1", "role": "frr", "dir": ".../demo/r1",
               "daemons": [{"name": "zebra", "pid": 123,
                            "pidfile": "...", "log": "...", "cmd": [...]}],
               "sockets": {"vty": ".../demo/r1"}, "warnings": [...]}
      }
    }

``WAYPOINT_LAB_RUNDIR`` overrides the ``/run/waypoint-lab`` base.
"""

import fcntl
import json
import os
import shutil

RUNDIR = os.environ.get("WAYPOINT_LAB_RUNDIR", "/run/waypoint-lab")


def lab_dir(lab):
    return os.path.join(RUNDIR, lab)


def state_path(lab):
    return os.path.join(lab_dir(lab), "state.json")


def labs_up():
    """Names of the labs that have a state file."""
    try:
        names = os.listdir(RUNDIR)
    except FileNotFoundError:
        return []
    return sorted(n for n in names if os.path.isfile(state_path(n)))


def load(lab):
    """The state dict of LAB, or None."""
    try:
        with open(state_path(lab)) as f:
            return json.load(f)
    except FileNotFoundError:
        return None
    except ValueError:
        # a torn write cannot happen (rename), but be safe: keep what we can
        return {"lab": lab, "namespaces": [], "nodes": {}, "corrupt": True}


def save(st):
    """Write ST atomically."""
    d = lab_dir(st["lab"])
    os.makedirs(d, mode=0o755, exist_ok=True)
    tmp = state_path(st["lab"]) + ".tmp"
    with open(tmp, "w") as f:
        json.dump(st, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, state_path(st["lab"]))


def remove(lab):
    shutil.rmtree(lab_dir(lab), ignore_errors=True)


class Lock:
    """An exclusive lock on the lab run directory (one up/down at a time)."""

    def __init__(self):
        self.fd = None

    def __enter__(self):
        os.makedirs(RUNDIR, mode=0o755, exist_ok=True)
        self.fd = os.open(os.path.join(RUNDIR, ".lock"),
                          os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        os.close(self.fd)
        self.fd = None
