"""netconfd with a real NETCONF client (Debian's python3-ncclient): mgmtd
and netconfd on 127.0.0.1 and a random high port, in a temporary run
directory; password authentication; get-config, edit-config on the
candidate, commit, errors with their path, locks, discard-changes, a
confirmed commit that times out and rolls back, get-schema.  No root
needed, no namespace: the daemons only talk to each other and to us."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

from lablib import roles

ncclient = pytest.importorskip("ncclient")
from ncclient import manager  # noqa: E402
from ncclient.operations import RPCError  # noqa: E402
from ncxml import config, iface, route, session  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
YANG = os.path.normpath(os.path.join(HERE, "..", "..", "..", "yang"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(pred, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


class Server:
    def __init__(self, find):
        self.dir = tempfile.mkdtemp(prefix="wp-netconf-")
        self.port = free_port()
        self.procs = []
        users = os.path.join(self.dir, "users")
        with open(users, "w") as f:
            f.write("# test users\nadmin:secret\n")
            # "hunter2" as a SHA-512 crypt hash
            f.write("oper:%s\n" % subprocess.check_output(
                ["openssl", "passwd", "-6", "-salt", "wpsalt", "hunter2"],
                text=True).strip())
        env = dict(os.environ, WP_YANG_PATH=YANG)
        common = ["--rundir", self.dir, "--log-level", "debugging"]
        self.start(env, [find("mgmtd")] + common +
                   ["--state-dir", os.path.join(self.dir, "state"),
                    "-f", os.path.join(self.dir, "waypoint.json")],
                   "mgmtd")
        wait_for(lambda: os.path.exists(os.path.join(self.dir,
                                                     "mgmtd.sock")),
                 10, "mgmtd.sock")
        self.start(env, [find("netconfd")] + common +
                   ["--state-dir", os.path.join(self.dir, "state"),
                    "--listen", "127.0.0.1", "--port", str(self.port),
                    "--users", users], "netconfd")
        wait_for(self.listening, 10, "netconfd to listen")

    def start(self, env, argv, name):
        log = open(os.path.join(self.dir, name + ".log"), "w")
        self.procs.append((name, subprocess.Popen(
            argv, env=env, stdout=log, stderr=subprocess.STDOUT)))

    def listening(self):
        for name, p in self.procs:
            assert p.poll() is None, "%s exited: %s" % (name, self.logs())
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def connect(self, user="admin", password="secret"):
        return manager.connect(host="127.0.0.1", port=self.port,
                               username=user, password=password,
                               hostkey_verify=False, allow_agent=False,
                               look_for_keys=False, timeout=20)

    def logs(self):
        out = []
        for name, _ in self.procs:
            with open(os.path.join(self.dir, name + ".log")) as f:
                out.append("--- %s\n%s" % (name, f.read()))
        return "\n".join(out)

    def stop(self):
        for name, p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def server():
    find = roles.waypoint_bindir()
    if find is None or not find("mgmtd") or not find("netconfd"):
        pytest.skip("mgmtd or netconfd is not built (netconfd needs "
                    "libnetconf2)")
    srv = Server(find)
    try:
        yield srv
    except BaseException:
        print(srv.logs())
        raise
    finally:
        # A clean exit: netconfd and mgmtd stop on SIGTERM with code 0.
        srv.stop()


@pytest.fixture
def nc(server):
    yield from session(server)


def xml(reply):
    return reply.data_xml if hasattr(reply, "data_xml") else reply.xml


def get(m, source="running"):
    return m.get_config(source=source).data_xml


def test_capabilities(nc):
    caps = list(nc.server_capabilities)
    assert "urn:ietf:params:netconf:capability:candidate:1.0" in caps
    assert "urn:ietf:params:netconf:capability:confirmed-commit:1.1" in caps
    assert "urn:ietf:params:netconf:capability:validate:1.1" in caps


def test_crypt_password(server):
    m = server.connect("oper", "hunter2")
    assert m.connected
    m.close_session()
    with pytest.raises(Exception):
        server.connect("oper", "wrong")


def test_edit_commit(nc):
    """merge a static route and an interface description, commit."""
    assert "10.1.0.0/16" not in get(nc)
    nc.edit_config(target="candidate", config=config(
        iface("eth0", "<description>uplink</description>") +
        route("10.1.0.0/16", "192.0.2.1")))
    cand = get(nc, "candidate")
    assert "10.1.0.0/16" in cand and "uplink" in cand
    assert "10.1.0.0/16" not in get(nc)
    nc.validate(source="candidate")
    nc.commit()
    run = get(nc)
    assert "<prefix>10.1.0.0/16</prefix>" in run
    assert "<gateway>192.0.2.1</gateway>" in run
    assert "<description>uplink</description>" in run
    # <get> shows the running configuration too.
    assert "10.1.0.0/16" in nc.get().data_xml


def test_operations(nc):
    """create fails on an existing node, delete on a missing one; replace
    and delete work."""
    with pytest.raises(RPCError) as e:
        nc.edit_config(target="candidate", config=config(
            iface("eth0", attr=' nc:operation="create"')))
    assert e.value.tag == "data-exists"
    nc.edit_config(target="candidate", config=config(
        iface("eth0", '<description nc:operation="replace">core'
              '</description>')))
    assert "<description>core</description>" in get(nc, "candidate")
    nc.edit_config(target="candidate", config=config(
        iface("eth0", '<description nc:operation="delete"/>')))
    assert "core" not in get(nc, "candidate")
    with pytest.raises(RPCError) as e:
        nc.edit_config(target="candidate", config=config(
            iface("eth0", '<description nc:operation="delete"/>')))
    assert e.value.tag == "data-missing"
    # remove is silent when the node is absent.
    nc.edit_config(target="candidate", config=config(
        iface("eth0", '<description nc:operation="remove"/>')))
    nc.discard_changes()
    assert "uplink" in get(nc, "candidate")


def test_invalid_edit(nc):
    """A bad value is an rpc-error naming the path; running unchanged."""
    before = get(nc)
    with pytest.raises(RPCError) as e:
        nc.edit_config(target="candidate", config=config(
            iface("eth0", "<mtu>30</mtu>")))
    err = e.value
    assert err.tag == "invalid-value"
    # libyang rejects the value while parsing, before the list entry
    # exists: the path is the schema node's.
    assert err.path and err.path.startswith(
        "/waypoint-interface:interfaces/interface")
    assert err.path.endswith("/mtu")
    assert "30" in err.message and "68..65535" in err.message
    # A commit that fails validation (a nexthop with neither gateway
    # nor interface) leaves running alone too.
    nc.edit_config(target="candidate", config=config(
        route("10.9.0.0/16", "")))
    with pytest.raises(RPCError) as e:
        nc.commit()
    assert "10.9.0.0/16" in (e.value.path or "") + e.value.message
    assert get(nc) == before
    nc.discard_changes()
    assert "10.9.0.0/16" not in get(nc, "candidate")


def test_discard(nc):
    nc.edit_config(target="candidate", config=config(
        route("10.2.0.0/16", "192.0.2.2")))
    assert "10.2.0.0/16" in get(nc, "candidate")
    nc.discard_changes()
    assert "10.2.0.0/16" not in get(nc, "candidate")
    assert get(nc, "candidate") == get(nc)


def test_lock(server, nc):
    other = server.connect()
    try:
        nc.lock("candidate")
        with pytest.raises(RPCError) as e:
            other.lock("candidate")
        assert e.value.tag == "lock-denied"
        with pytest.raises(RPCError) as e:
            other.edit_config(target="candidate", config=config(
                route("10.3.0.0/16", "192.0.2.3")))
        assert e.value.tag == "in-use"
        nc.unlock("candidate")
        other.lock("candidate")
        other.unlock("candidate")
        nc.lock("running")
        nc.unlock("running")
    finally:
        other.close_session()


def test_lock_released_with_session(server):
    a = server.connect()
    a.lock("candidate")
    a.close_session()
    b = server.connect()
    b.lock("candidate")
    b.unlock("candidate")
    b.close_session()


def test_confirmed_commit_rolls_back(nc):
    """RFC 6241 §8.4: not confirmed within confirm-timeout: rolled back."""
    before = get(nc)
    nc.edit_config(target="candidate", config=config(
        route("10.4.0.0/16", "192.0.2.4")))
    nc.commit(confirmed=True, timeout="2")
    assert "10.4.0.0/16" in get(nc)
    wait_for(lambda: "10.4.0.0/16" not in get(nc), 10, "the rollback")
    assert get(nc) == before


def test_confirmed_commit_confirmed(nc):
    nc.edit_config(target="candidate", config=config(
        route("10.5.0.0/16", "192.0.2.5")))
    nc.commit(confirmed=True, timeout="2")
    nc.commit()                     # the confirming commit
    time.sleep(2.5)
    assert "10.5.0.0/16" in get(nc)


def test_get_schema(nc):
    text = nc.get_schema("waypoint-routing").data
    assert "module waypoint-routing" in text
    with pytest.raises(RPCError):
        nc.get_schema("no-such-module")


def test_replace_default_operation(nc):
    """default-operation replace: the config replaces the candidate."""
    nc.edit_config(target="candidate", default_operation="replace",
                   config=config(iface("eth7")))
    cand = get(nc, "candidate")
    assert "eth7" in cand and "10.1.0.0/16" not in cand
    nc.discard_changes()
    assert "10.1.0.0/16" in get(nc, "candidate")


def test_subtree_filter(nc):
    """RFC 6241 §6: a content match and a selection under a containment
    node; a filter that matches nothing gives empty data."""
    nc.edit_config(target="candidate", config=config(
        iface("eth3", "<description>filtered</description><mtu>1400</mtu>")))
    out = nc.get_config(source="candidate", filter=("subtree", iface(
        "eth3", "<mtu/>"))).data_xml
    assert "<mtu>1400</mtu>" in out and "<name>eth3</name>" in out
    assert "filtered" not in out and "10.1.0.0/16" not in out
    out = nc.get_config(source="running", filter=("subtree", iface(
        "eth3"))).data_xml
    assert "eth3" not in out
