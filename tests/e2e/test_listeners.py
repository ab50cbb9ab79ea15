"""End-to-end tests of the listener listings at scale and of what they show.

Helper processes (Python, started here, killed here by pid) open loopback
sockets described by a small JSON spec and report what they opened.  The
listings are checked against the helpers' own sockets only, so other
processes on the machine cannot race the assertions.
"""
import json
import os
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
        assert annotated - bare < 0.04, (args, bare, annotated)
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
