"""End-to-end tests of `who`, `listening` and `audit` on real sockets.

Helper processes (Python, started here, killed here by pid) open loopback
sockets of every kind the commands must handle: TCP and UDP, IPv4, IPv6 and
v4-mapped IPv6, a listener inherited by a forked child (two holders),
established TCP connections and a connected UDP socket (which must not be
listed), and, when the tests run as root, listeners of another user
(`nobody`, via setpriv).  `portolan listening --json` must then give exactly
the (proto, address, port, pid) set that `ss -Htulpn` parses to, restricted
to the helpers' own ports so other processes on the machine cannot race us.
"""
import ipaddress
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("PORTOLAN_BIN", str(ROOT / "build" / "portolan"))
IS_ROOT = os.geteuid() == 0
DROP = ["setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups"]

# Runs in the helper: opens the sockets, reports them as one JSON line, waits.
HELPER = r"""
import json, os, signal, socket, sys
mode = sys.argv[1]
keep, ports, ephemeral, bound = [], [], [], []

def listen(family, addr, v6only=None):
    s = socket.socket(family, socket.SOCK_STREAM)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    s.bind((addr, 0)); s.listen(8); keep.append(s)
    ports.append(["tcp", *s.getsockname()[:2]]); return s

def udp(family, addr):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((addr, 0)); keep.append(s); ports.append(["udp", *s.getsockname()[:2]]); return s

children = []
if mode == "main":
    l4 = listen(socket.AF_INET, "127.0.0.1")
    listen(socket.AF_INET6, "::1")
    listen(socket.AF_INET6, "::ffff:127.0.0.1", v6only=0)
    u4 = udp(socket.AF_INET, "127.0.0.1")
    udp(socket.AF_INET6, "::1")
    # Established TCP (both ends) and a connected UDP socket: not listeners.
    c = socket.create_connection(("127.0.0.1", l4.getsockname()[1])); keep.append(c)
    a, _ = l4.accept(); keep.append(a)
    ephemeral.append(["tcp", *c.getsockname()[:2]])
    cu = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    cu.connect(("127.0.0.1", u4.getsockname()[1])); keep.append(cu)
    ephemeral.append(["udp", *cu.getsockname()[:2]])
    # Bound but not listening: not a listener either, and it keeps the
    # port free of other TCP listeners on 127.0.0.1 for the "nothing" case.
    b = socket.socket(); b.bind(("127.0.0.1", 0)); keep.append(b)
    bound.append(b.getsockname()[1])
    # One listener held by two processes: the child inherits it across fork.
    shared = listen(socket.AF_INET, "127.0.0.1")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        for s in keep:
            if s is not shared:
                s.close()
        os.close(r); os.write(w, b"x"); signal.pause(); os._exit(0)
    os.read(r, 1)
    children.append(pid)
else:
    listen(socket.AF_INET, "127.0.0.1")
    udp(socket.AF_INET6, "::1")
print(json.dumps({"pid": os.getpid(), "children": children, "ports": ports,
                  "ephemeral": ephemeral, "bound": bound}), flush=True)
signal.pause()
"""


class Helper:
    def __init__(self, mode, prefix=()):
        self.proc = subprocess.Popen([*prefix, sys.executable, "-c", HELPER, mode],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line, "helper died before reporting its sockets"
        info = json.loads(line)
        self.pid, self.children = info["pid"], info["children"]
        # (proto, address, port): a port number alone may be another
        # process's socket of the other protocol or address family.
        self.ports = [(p, norm(a), n) for p, a, n in info["ports"]]
        self.ephemeral = [(p, norm(a), n) for p, a, n in info["ephemeral"]]
        self.bound = info["bound"]

    def kill(self):
        for pid in [*self.children, self.proc.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def helpers():
    started = []
    try:
        started.append(Helper("main"))
        if IS_ROOT and shutil.which("setpriv"):
            started.append(Helper("other", DROP))
        yield started
    finally:
        for h in started:
            h.kill()


def portolan(*args, prefix=(), binary=None, **extra_env):
    env = dict(os.environ, NO_COLOR="1", PORTOLAN_DB="/nonexistent/portolan.db", **extra_env)
    return subprocess.run([*prefix, binary or BIN, *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=60)


def our_ports(helpers):
    return {p for h in helpers for p in h.ports + h.ephemeral}


def norm(addr):
    addr = addr.strip("[]").split("%")[0]
    return str(ipaddress.ip_address("::" if addr == "*" else addr))  # ss: *:P is dual-stack [::]


def portolan_set(doc, ports):
    out = set()
    for l in doc["listeners"]:
        if (l["proto"], norm(l["address"]), l["port"]) in ports:
            for h in l["holders"] or [{"pid": None}]:
                out.add((l["proto"], norm(l["address"]), l["port"], h["pid"]))
    return out


def ss_local(field):
    """(address, port) of ss's "Local Address:Port" column, in every form ss
    prints: `*:P` (a wildcard; "*"), `0.0.0.0:P`, `[::]:P`,
    `[::ffff:127.0.0.1]:P`, and an interface suffix `127.0.0.53%lo:P`,
    `[fe80::1]%eth0:P` or `[fe80::1%eth0]:P`."""
    host, _, port = field.rpartition(":")
    if host.startswith("["):
        host = host[1:host.index("]")]
    host = host.split("%")[0]
    return ("*" if host == "*" else norm(host)), int(port)


def ss_all():
    """Every (proto, address, port, pid) ss -Htulpn lists."""
    p = subprocess.run(["ss", "-Htulpn"], capture_output=True, text=True, check=True)
    out = set()
    for line in p.stdout.splitlines():
        f = line.split()
        addr, port = ss_local(f[4])
        for pid in [int(x) for x in re.findall(r"pid=(\d+)", line)] or [None]:
            out.add((f[0], addr, port, pid))
    return out


@pytest.mark.parametrize("field, want", [
    ("*:18444", ("*", 18444)),
    ("*%lo:18444", ("*", 18444)),
    ("0.0.0.0:22", ("0.0.0.0", 22)),
    ("[::]:22", ("::", 22)),
    ("[::ffff:127.0.0.1]:8080", (norm("::ffff:127.0.0.1"), 8080)),
    ("127.0.0.53%lo:53", ("127.0.0.53", 53)),
    ("[fe80::1]%eth0:546", ("fe80::1", 546)),
    ("[fe80::1%eth0]:546", ("fe80::1", 546)),
])
def test_ss_address_forms(field, want):
    assert ss_local(field) == want


@pytest.fixture
def unrelated():
    """Listeners that are not the helpers', in the forms that broke the
    comparison: a dual-stack one (ss: `*:P`), IPv4 and IPv6 wildcards, and
    as root one bound to an interface (`127.0.0.1%lo:P`).  Returns their
    (proto, port) pairs."""
    socks = [socket.create_server(("::", 0), family=socket.AF_INET6, dualstack_ipv6=True),
             socket.create_server(("0.0.0.0", 0)),
             socket.create_server(("::", 0), family=socket.AF_INET6)]
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    u.bind(("::", 0))
    socks.append(u)
    if IS_ROOT:
        d = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        d.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"lo")
        d.bind(("127.0.0.1", 0))
        d.listen(1)
        socks.append(d)
    try:
        yield {("udp" if x.type == socket.SOCK_DGRAM else "tcp", x.getsockname()[1])
               for x in socks}
    finally:
        for x in socks:
            x.close()


# As root the BPF iterator finds the holders; PORTOLAN_NO_BPF=1 forces the
# /proc walk.  Both must agree with ss.
@pytest.mark.skipif(shutil.which("ss") is None, reason="ss (iproute2) not installed")
@pytest.mark.parametrize("no_bpf", ["0", "1"], ids=["default", "proc-walk"])
def test_listening_matches_ss(helpers, unrelated, no_bpf):
    ports = our_ports(helpers)
    p = portolan("listening", "--json", PORTOLAN_NO_BPF=no_bpf)
    assert p.returncode == 0, p.stderr
    mine = portolan_set(json.loads(p.stdout), ports)
    everything = ss_all()
    theirs = {s for s in everything if s[:3] in ports}  # other processes come and go
    assert mine == theirs
    # The unrelated listeners were there, parsed, and left out of both sides.
    assert unrelated <= {(s[0], s[2]) for s in everything}
    assert "*" in {s[1] for s in everything if (s[0], s[2]) in unrelated}
    # The set is not trivially equal: every kind of socket is in it.
    main = helpers[0]
    assert len(mine) == len(main.ports) + 1 + (2 if len(helpers) > 1 else 0)
    assert {m[0] for m in mine} == {"tcp", "udp"}
    assert norm("::ffff:127.0.0.1") in {m[1] for m in mine}
    assert not {m for m in mine if m[:3] in main.ephemeral}


def test_inherited_listener_has_two_holders(helpers):
    main = helpers[0]
    proto, _, shared = main.ports[-1]
    p = portolan("who", f"{shared}/{proto}", "--json")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["listening"] is True
    [l] = doc["listeners"]
    assert sorted(h["pid"] for h in l["holders"]) == sorted([main.pid, *main.children])
    assert all(h["command"].startswith("python") for h in l["holders"])


def test_who_text_and_udp(helpers):
    main = helpers[0]
    proto, _, udp4 = main.ports[3]
    assert proto == "udp"
    p = portolan("who", f"{udp4}/udp")
    assert p.returncode == 0, p.stderr
    assert f"127.0.0.1:{udp4}" in p.stdout and f":{main.pid}" in p.stdout
    # A TCP socket bound there but not listening: nothing listens.
    p = portolan("who", f"{main.bound[0]}/tcp")
    assert p.returncode == 1
    assert "nothing listens" in p.stdout


def test_established_is_not_listening(helpers):
    # The client end of the established connection has a port of its own.
    proto, _, port = helpers[0].ephemeral[0]
    p = portolan("who", f"{port}/{proto}")
    assert p.returncode == 1, p.stdout


@pytest.mark.skipif(not IS_ROOT, reason="needs root to start another user's process")
def test_other_users_listener_seen_by_root(helpers):
    other = helpers[1]
    p = portolan("who", "%d/%s" % (other.ports[0][2], other.ports[0][0]), "--json")
    assert p.returncode == 0, p.stderr
    [l] = json.loads(p.stdout)["listeners"]
    assert [(h["pid"], h["user"]) for h in l["holders"]] == [(other.pid, "nobody")]


@pytest.mark.skipif(not IS_ROOT, reason="needs root to drop privileges")
def test_unprivileged_run(helpers, tmp_path):
    # nobody runs the binary: it sees its own process's sockets, and says
    # how many it cannot attribute instead of leaving them out.
    other, main = helpers[1], helpers[0]
    p = portolan("listening", "--json", prefix=DROP)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    by_port = {(l["proto"], norm(l["address"]), l["port"]): l for l in doc["listeners"]}
    assert [h["pid"] for h in by_port[other.ports[0]]["holders"]] == [other.pid]
    for key in main.ports:
        assert by_port[key]["holders"] == []
    assert doc["unseen"] >= len(main.ports)
    assert "owned by other users: run as root to see who" in doc["note"]
    p = portolan("who", "%d/%s" % (main.ports[0][2], main.ports[0][0]), prefix=DROP)
    assert p.returncode == 0
    assert "run as root to see who" in p.stdout


NETNS_HELPER = r"""
import socket, sys, time
s = socket.socket(); s.bind(("0.0.0.0", 0)); s.listen(8)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", s.getsockname()[1]))
print(s.getsockname()[1], flush=True)
time.sleep(120)
"""


@pytest.fixture
def netns_listener():
    """A TCP listener and a UDP socket on one port in a new network namespace (unshare -n)."""
    if not IS_ROOT or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare(1) to make a network namespace")
    p = subprocess.Popen(["unshare", "--net", sys.executable, "-c", NETNS_HELPER],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line.strip().isdigit():
        p.kill()
        pytest.skip(f"unshare --net does not work here: {p.stderr.read()[-300:]}")
    yield p.pid, int(line)
    p.kill()
    p.wait()


def test_all_netns_sees_another_namespace(netns_listener):
    pid, port = netns_listener
    ns = os.stat(f"/proc/{pid}/ns/net").st_ino
    assert ns != os.stat("/proc/self/ns/net").st_ino
    # ss and a plain `who` look at this namespace only.
    assert portolan("who", port).returncode == 1
    p = portolan("who", port, "--all-netns", "--json")
    assert p.returncode == 0, p.stderr
    got = {(l["proto"], l["netns"], tuple(h["pid"] for h in l["holders"]))
           for l in json.loads(p.stdout)["listeners"]}
    assert got == {("tcp", ns, (pid,)), ("udp", ns, (pid,))}
    p = portolan("who", port, "--all-netns")
    assert f"python3:{pid}(root) net:[{ns}]" in p.stdout.replace("python:", "python3:")
    # listening: the namespace's sockets beside this one's, which keep "netns": null.
    doc = json.loads(portolan("listening", "--all-netns", "--json").stdout)
    assert {l["netns"] for l in doc["listeners"] if l["port"] == port} == {ns}
    assert None in {l["netns"] for l in doc["listeners"]} or not doc["listeners"]


def test_audit_all_netns_expects_a_container_listener(netns_listener, tmp_path):
    pid, port = netns_listener
    expect = tmp_path / "expect"
    expect.write_text(f"{port}/tcp  python3\n")
    # Without --all-netns the listener is missing; with it, it is there as expected.
    p = portolan("audit", "--expect", expect, "--json")
    assert p.returncode == 1 and [m["port"] for m in json.loads(p.stdout)["missing"]] == [port]
    p = portolan("audit", "--expect", expect, "--json", "--all-netns")
    assert p.returncode in (0, 1), p.stderr
    assert json.loads(p.stdout)["missing"] == []
    snap = portolan("audit", "--snapshot", "--all-netns").stdout
    assert re.search(rf"^{port}/tcp\s", snap, re.M) and re.search(rf"^{port}/udp\s", snap, re.M)


def test_all_netns_needs_root(netns_listener):
    p = portolan("who", "22", "--all-netns", prefix=DROP)
    assert p.returncode == 2 and "--all-netns needs root" in p.stderr


def test_audit_snapshot_round_trip(helpers, tmp_path):
    p = portolan("audit", "--snapshot")
    assert p.returncode == 0, p.stderr
    expect = tmp_path / "expect.txt"
    expect.write_text(p.stdout)
    # Our own listeners are in it with their command name.
    assert "%d/tcp python3 127.0.0.1\n" % helpers[0].ports[0][2] in p.stdout
    # Add a line that matches nothing: one disappearance, drift (exit 1).
    expect.write_text(p.stdout + "1/tcp nothing-here\n")
    p = portolan("audit", "--expect", expect, "--json")
    doc = json.loads(p.stdout)
    assert p.returncode == 1
    assert doc["clean"] is False
    assert [(m["port"], m["process"]) for m in doc["missing"]] == [(1, "nothing-here")]
    # Drop our listeners from the file: they come back as additions.
    ours = {("%d/%s" % (n, p), a) for p, a, n in helpers[0].ports}
    kept = [l for l in expect.read_text().splitlines()
            if len(l.split()) < 3 or l[0] == "#" or (l.split()[0], norm(l.split()[2])) not in ours]
    expect.write_text("\n".join(kept) + "\n")
    p = portolan("audit", "--expect", expect, "--json")
    doc = json.loads(p.stdout)
    assert p.returncode == 1
    assert {(a["proto"], norm(a["address"]), a["port"]) for a in doc["added"]} == set(
        helpers[0].ports)


def test_audit_bad_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("22/tcp sshd\n80/xyz\n")
    p = portolan("audit", "--expect", bad)
    assert p.returncode == 2
    assert f"{bad}:2: port:" in p.stderr and "xyz" in p.stderr


@pytest.mark.parametrize("arg", ["0", "65536", "abc", "-1", "80/xyz", "80/", "1e3"])
def test_bad_port_is_usage_error(arg):
    p = portolan("who", arg)
    assert p.returncode == 2
    assert f'"{arg}"' in p.stderr
    assert p.stdout == ""
    p = portolan("listening", "--port", arg)
    assert p.returncode == 2


def test_help():
    for cmd in ("who", "listening", "ls", "audit"):
        p = portolan(cmd, "--help")
        assert p.returncode == 0 and p.stdout.startswith("usage: portolan")


IANA_XML = ROOT / "data" / "iana" / "service-names-port-numbers.xml"

# A process named "sshd" listening on a port the registry gives to another service.
IMPOSTOR = r"""
import signal, socket, sys
open("/proc/self/comm", "w").write("sshd")
for port in (3106, 3107, 3108, 3109, 3110):
    try:
        s = socket.socket(); s.bind(("127.0.0.1", port)); s.listen(1); break
    except OSError:
        s.close(); port = 0
print(port, flush=True)
signal.pause()
"""


def test_registry_annotation_and_flags(tmp_path):
    db = tmp_path / "portolan.db"
    p = subprocess.run([BIN, "update", "--from", IANA_XML, "--no-system", "--no-data",
                        "--quiet", "--db", db], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    proc = subprocess.Popen([sys.executable, "-c", IMPOSTOR], stdout=subprocess.PIPE, text=True)
    try:
        port = int(proc.stdout.readline())
        if port == 0:
            pytest.skip("ports 3106-3110 are all taken")
        p = portolan("who", f"{port}/tcp", "--json", "--db", db)
        assert p.returncode == 0, p.stderr
        doc = json.loads(p.stdout)
        [l] = doc["listeners"]
        assert l["registry"]["assigned"] is True
        assert l["registry"]["service"] == doc["port_identity"]["tcp"]["service"] != "ssh"
        assert "other-service" in l["flags"] and l["looks_like"] == "ssh"
        p = portolan("listening", "--unexpected", "--db", db)
        assert f"127.0.0.1:{port} " in p.stdout and "!other-service=ssh" in p.stdout
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
