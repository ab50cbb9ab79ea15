"""End-to-end tests of the listener listings at scale and of what they show.

Helper processes (Python, started here, killed here by pid) open loopback
sockets described by a small JSON spec and report what they opened.  The
listings are checked against the helpers' own sockets only, so other
processes on the machine cannot race the assertions.
"""
import json
import os
import re
import resource
import signal
import subprocess
import sys

import pytest

from conftest import BIN

HOLDER = r"""
import ctypes, json, os, signal, socket, sys
spec = json.loads(sys.argv[1])
if spec.get("comm"):
    ctypes.CDLL(None).prctl(15, spec["comm"].encode("latin-1"), 0, 0, 0)
keep, out = [], []
for kind, addr, port, v6only in spec["sockets"]:
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    try:
        s.bind((addr, port))
    except OSError:  # a fixed port someone else holds: skipped, reported by absence
        s.close()
        continue
    if kind == "tcp":
        s.listen(64)
    keep.append(s)
    out.append([kind, addr, s.getsockname()[1]])
print(json.dumps({"pid": os.getpid(), "sockets": out}), flush=True)
signal.pause()
"""


class Holder:
    """A process holding the sockets of spec until kill()."""

    def __init__(self, sockets, comm=None, prefix=()):
        spec = {"sockets": sockets, "comm": comm}
        self.proc = subprocess.Popen([*prefix, sys.executable, "-c", HOLDER, json.dumps(spec)],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line, "holder died before reporting its sockets"
        info = json.loads(line)
        self.pid, self.sockets = info["pid"], info["sockets"]
        self.ports = {p for _, _, p in self.sockets}

    def kill(self):
        try:
            os.kill(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


@pytest.fixture
def holders():
    started = []

    def start(*args, **kw):
        h = Holder(*args, **kw)
        started.append(h)
        return h
    try:
        yield start
    finally:
        for h in started:
            h.kill()


def portolan(*args, db=None, **extra_env):
    env = dict(os.environ, NO_COLOR="1", PORTOLAN_DB=str(db or "/nonexistent/portolan.db"),
               **extra_env)
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, env=env,
                          timeout=120)


def cpu_of(*args, db=None):
    """The CPU seconds (user + system) one run of portolan takes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = portolan(*args, db=db)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert p.returncode == 0, p.stderr
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def mine(doc, holder):
    return [l for l in doc["listeners"]
            if any(h["pid"] == holder.pid for h in l["holders"])]


# ------------------------------------------------------------------ one pass

def test_annotation_costs_little_beside_the_machine_walk(holders, full_db):
    """2,000 listeners on registered ports annotated from the registry: the
    annotation reads what it needs once, so it adds milliseconds, not a
    query per socket (the old code spent ~0.1 ms a listener)."""
    h = holders([[proto, "127.0.0.1", port, None]
                 for port in range(10000, 11000) for proto in ("tcp", "udp")])
    if len(h.sockets) < 1500:
        pytest.skip("ports 10000-10999 are mostly taken")
    for args in (["listening"], ["listening", "--json"]):
        bare = min(cpu_of(*args) for _ in range(3))
        annotated = min(cpu_of(*args, db=full_db) for _ in range(3))
        # Under ASan (build-san/) everything costs about four times as much.
        assert annotated - bare < (0.16 if "build-san" in BIN else 0.04), (args, bare, annotated)
    doc = json.loads(portolan("listening", "--json", db=full_db).stdout)
    ours = mine(doc, h)
    assert len(ours) == len(h.sockets)
    assert all(l["registry"] is not None for l in ours)


def test_every_listener_is_annotated_like_its_single_port(holders, full_db):
    """The whole listing and `who PORT` give each listener the same registry
    facts: the one-pass index answers as the single-port query does."""
    h = holders([["tcp", "127.0.0.1", 0, None], ["udp", "127.0.0.1", 0, None],
                 ["tcp", "::1", 0, None]], comm="sshd")
    doc = json.loads(portolan("listening", "--json", db=full_db).stdout)
    for l in mine(doc, h):
        one = json.loads(portolan("who", f"{l['port']}/{l['proto']}", "--json",
                                  db=full_db).stdout)
        [same] = [x for x in one["listeners"] if x["inode"] == l["inode"]]
        assert same == l


def test_json_survives_a_process_name_that_is_not_utf8(holders):
    """A process may name itself any bytes; the listing must still list it,
    as valid JSON (the old writer dropped the listener)."""
    h = holders([["tcp", "127.0.0.1", 0, None]], comm="\xffsrv\xfe")
    p = portolan("listening", "--json")
    assert p.returncode == 0, p.stderr
    [l] = mine(json.loads(p.stdout), h)
    assert l["holders"][0]["command"] == "\ufffdsrv\ufffd"


# ------------------------------------------------------------------ filters

def listed(*args, db=None):
    p = portolan("listening", "--json", *args, db=db)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)["listeners"]


def keys(listeners, *holders):
    pids = {h.pid for h in holders}
    return {(l["proto"], l["address"], l["port"]) for l in listeners
            if any(x["pid"] in pids for x in l["holders"])}


def expected(holder, pred=lambda kind, addr: True):
    return {(k, a, p) for k, a, p in holder.sockets if pred(k, a)}


def test_family_protocol_and_pid_filters(holders):
    a = holders([["tcp", "127.0.0.1", 0, None], ["udp", "127.0.0.1", 0, None],
                 ["tcp", "::1", 0, None], ["udp", "::1", 0, None]])
    b = holders([["tcp", "127.0.0.1", 0, None], ["udp", "::1", 0, None]])
    assert keys(listed("-4"), a, b) == expected(a, lambda k, x: "." in x) | \
        expected(b, lambda k, x: "." in x)
    assert keys(listed("-6"), a, b) == expected(a, lambda k, x: ":" in x) | \
        expected(b, lambda k, x: ":" in x)
    assert keys(listed("-t"), a, b) == expected(a, lambda k, x: k == "tcp") | \
        expected(b, lambda k, x: k == "tcp")
    assert keys(listed("-u", "-6"), a, b) == expected(a, lambda k, x: k == "udp" and ":" in x) | \
        expected(b, lambda k, x: k == "udp")
    only_b = listed("--pid", b.pid)
    assert keys(only_b, a, b) == expected(b)
    assert {h["pid"] for l in only_b for h in l["holders"]} == {b.pid}
    # who takes the same options; one of b's ports, restricted to b's protocol.
    proto, _, port = b.sockets[1]
    p = portolan("who", "--json", "-6", "--pid", b.pid, port)
    assert p.returncode == 0, p.stderr
    assert keys(json.loads(p.stdout)["listeners"], b) == {(proto, "::1", port)}
    assert portolan("who", "-4", "-6", port).returncode == 2


def test_user_filter_and_unknown_user(holders):
    h = holders([["tcp", "127.0.0.1", 0, None]])
    me = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    assert keys(listed("--user", me), h) == expected(h)
    for cmd in (["listening"], ["who", h.sockets[0][2]]):
        p = portolan(*cmd, "--user", "no-such-user-here")
        assert p.returncode == 2 and "no-such-user-here" in p.stderr
    p = portolan("who", "--json", "--user", me, h.sockets[0][2])
    assert p.returncode == 0 and keys(json.loads(p.stdout)["listeners"], h) == expected(h)


def test_port_lists_ranges_and_service_names(holders, full_db):
    h = holders([["tcp", "127.0.0.1", 0, None] for _ in range(3)])
    ports = sorted(h.ports)
    lo, hi = ports[0], ports[-1]
    doc = json.loads(portolan("who", "--json", f"{lo}-{hi}", db=full_db).stdout)
    assert doc["ports"] == f"{lo}-{hi}" and doc["listening"] is True
    assert keys(doc["listeners"], h) == expected(h)
    assert all(lo <= l["port"] <= hi for l in doc["listeners"])
    # A list: one port, then a range holding only the last.
    arg = f"{ports[0]}/tcp,{hi}-{hi}"
    got = keys(json.loads(portolan("who", "--json", arg).stdout)["listeners"], h)
    assert got == {s for s in expected(h) if s[2] in (ports[0], hi)}
    got = keys(listed("--port", arg), h)
    assert got == {s for s in expected(h) if s[2] in (ports[0], hi)}
    # A service name in a list resolves through the registry, as `who NAME` does.
    named = holders([["tcp", "127.0.0.1", 3000, None]])
    if not named.sockets:
        pytest.skip("port 3000 is taken")
    doc = json.loads(portolan("who", "--json", f"hbci,{lo}", db=full_db).stdout)
    assert keys(doc["listeners"], named, h) == expected(named) | \
        {s for s in expected(h) if s[2] == lo}
    p = portolan("who", f"{lo},no-such-service-x", db=full_db)
    assert p.returncode == 2 and "no-such-service-x" in p.stderr
    assert portolan("who", f"{hi}-{lo}").returncode == (2 if hi > lo else 0)


def ss_endpoints(port):
    p = subprocess.run(["ss", "-Htln", f"sport = :{port}"], capture_output=True, text=True,
                       check=True)
    return {line.split()[3] for line in p.stdout.splitlines()}


def test_dual_stack_and_ipv6_only_as_ss_prints_them(holders):
    h = holders([["tcp", "::", 0, 0], ["tcp", "::", 0, 1]])
    (_, _, dual), (_, _, v6) = h.sockets
    for port, v6only, shown in ((dual, False, f"*:{dual}"), (v6, True, f"[::]:{v6}")):
        [l] = [x for x in listed("--port", port) if x["holders"][0]["pid"] == h.pid]
        assert l["address"] == "::" and l["v6only"] is v6only
        assert ss_endpoints(port) == {shown}
        text = portolan("who", port).stdout
        assert f" {shown} " in text
    [l] = [x for x in listed("-4") if x["holders"] and x["holders"][0]["pid"] == h.pid] or [None]
    assert l is None  # -4 is the IPv4 family, as in ss: a dual-stack socket is IPv6


HIDEPID = os.geteuid() == 0 and all(
    subprocess.run(["which", t], capture_output=True).returncode == 0
    for t in ("unshare", "setpriv", "mount"))


@pytest.mark.skipif(not HIDEPID, reason="needs root, unshare, setpriv and mount")
def test_hidepid_note_says_proc_hides_the_holders(holders):
    """With /proc mounted hidepid=2 another user's processes are absent, not
    unreadable: the note must say so, not blame another PID namespace."""
    h = holders([["tcp", "127.0.0.1", 0, None]])
    port = h.sockets[0][2]
    script = ("mount -t proc -o hidepid=2 proc /proc && exec setpriv --reuid nobody "
              f"--regid nogroup --clear-groups {BIN} who {port}")
    p = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                       capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, PORTOLAN_DB="/nonexistent/portolan.db"))
    assert p.returncode == 0, p.stderr
    assert "hidepid=2" in p.stdout and "run as root" in p.stdout
    assert "PID namespace" not in p.stdout


# -------------------------------------------------------------- connections

CONNECTOR = r"""
import json, os, signal, socket, sys
keep, ports = [], []
for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    l = socket.socket(fam); l.bind((host, 0)); l.listen(16); keep.append(l)
    ports.append(l.getsockname()[1])
    for _ in range(3):
        c = socket.create_connection(l.getsockname()[:2]); a, _ = l.accept(); keep += [c, a]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.connect(("127.0.0.1", int(sys.argv[1])))
keep.append(u)
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(("127.0.0.1", 0)); keep.append(b)
print(json.dumps({"pid": os.getpid(), "listen": ports, "udp": u.getsockname()[1]}), flush=True)
signal.pause()
"""


@pytest.fixture
def connector():
    proc = subprocess.Popen([sys.executable, "-c", CONNECTOR, "4444"], stdout=subprocess.PIPE,
                            text=True)
    try:
        info = json.loads(proc.stdout.readline())
        info["pid"] = proc.pid
        yield info
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()


def ss_conns(flag, pid):
    p = subprocess.run(["ss", "-Hn" + flag + "p"], capture_output=True, text=True, check=True)
    out = set()
    for line in p.stdout.splitlines():
        f = line.split()
        users = next((i for i, x in enumerate(f) if x.startswith("users:")), None)
        if users is None:
            continue  # no process holds it: not one of the helper's
        for found in map(int, re.findall(r"pid=(\d+)", line)):
            if found == pid:  # the columns before users: are local and peer, whatever ss omits
                out.add((f[users - 2], f[users - 1], found))
    return out


def conns_set(doc, proto, pid):
    def ep(addr, port):
        return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"
    return {(ep(c["address"], c["port"]), ep(c["remote_address"], c["remote_port"]), h["pid"])
            for c in doc["connections"] if c["proto"] == proto
            for h in c["holders"] if h["pid"] == pid}


@pytest.mark.parametrize("no_bpf", ["0", "1"], ids=["default", "proc-walk"])
def test_connections_are_the_set_ss_shows(connector, no_bpf):
    p = portolan("connections", "--json", PORTOLAN_NO_BPF=no_bpf)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["schema"] == "portolan.connections/1"
    pid = connector["pid"]
    tcp = conns_set(doc, "tcp", pid)
    assert tcp == ss_conns("t", pid)
    assert len(tcp) == 12  # both ends of 3 connections, in each family
    udp = conns_set(doc, "udp", pid)
    assert udp == ss_conns("u", pid)
    assert udp == {(f"127.0.0.1:{connector['udp']}", "127.0.0.1:4444", pid)}
    # Listeners and bound, unconnected sockets are not connections.
    assert not any(c["state"] in ("listen", "unconnected") for c in doc["connections"])


def test_connection_annotated_by_its_remote_port(connector, full_db):
    """'What is this connection to 4444?': the remote port's registry name
    and flags, and --port matches either end."""
    p = portolan("conns", "--json", "--port", "4444", "--pid", connector["pid"], db=full_db)
    assert p.returncode == 0, p.stderr
    [c] = json.loads(p.stdout)["connections"]
    assert c["remote_port"] == 4444 and c["proto"] == "udp"
    assert c["registry"]["service"] == json.loads(
        portolan("who", "--json", "4444/udp", db=full_db).stdout)["port_identity"]["udp"]["service"]
    assert "ephemeral" not in c["flags"]  # the local end's range says nothing of the peer's port
    text = portolan("conns", "--port", "4444", "--pid", connector["pid"], db=full_db).stdout
    assert f"127.0.0.1:{connector['udp']} " in text and " 127.0.0.1:4444 " in text
    both = json.loads(portolan("conns", "--json", "--port", connector["listen"][0], "-4").stdout)
    assert len(conns_set(both, "tcp", connector["pid"])) == 6  # accepted ends and client ends


def test_port_report_writes_dual_stack_as_who_does(holders, full_db):
    h = holders([["tcp", "::", 0, 0], ["tcp", "::", 0, 1]])
    (_, _, dual), (_, _, v6) = h.sockets
    assert f"tcp  *:{dual} " in portolan(dual, db=full_db).stdout
    assert f"tcp  [::]:{v6} " in portolan(v6, db=full_db).stdout


def report_concern(port, proto, db):
    c = json.loads(portolan(f"{port}/{proto}", "--json", db=db).stdout)["concern"]
    codes = []
    for x in c["codes"]:
        if x["code"] not in codes:
            codes.append(x["code"])
    return c["level"], codes


def test_listing_concern_is_the_port_reports(holders, full_db):
    """The listing reads every port's facts at once (concern_ports()); each
    listener's concern must still be exactly the port report's for its port
    and protocol: malware shared with common software, IANA's unauthorized
    use, exposure risks, an unassigned range, the dynamic range, and ports
    that share one assessment because their facts are the same rows."""
    wanted = [[proto, "127.0.0.1", port, None]
              # ... and ports whose facts are the same shared rows: a range's
              # first port and another inside it, two dynamic ports.
              for port in (4444, 3389, 6667, 1433, 5900, 31337, 3001, 33333, 50000, 12345,
                           30401, 30500, 50001, 61000)
              for proto in ("tcp", "udp")]
    h = holders(wanted)
    if len(h.sockets) < len(wanted) // 2:
        pytest.skip("most of the ports asked for are taken")
    got = {(l["proto"], l["port"]): (l["registry"]["concern"]["level"],
                                     l["registry"]["concern"]["codes"])
           for l in mine(json.loads(portolan("listening", "--json", db=full_db).stdout), h)}
    assert len(got) == len(h.sockets)
    levels = set()
    for (proto, port), concern in sorted(got.items()):
        assert concern == report_concern(port, proto, full_db), (proto, port)
        levels.add(concern[0])
    assert len(levels) >= 2  # the ports differ, so the check does too
