"""The Debian package, end to end on this machine (as root): built from a
copy of the tree with dpkg-buildpackage, lintian-clean, its systemd units
verified and sandboxed, installed with dpkg -i, run from the installed
files (`portolan 3516` offline on first use, `portolan serve` answering a
page), then removed and purged without a trace.

Run by scripts/test.sh after the other suites (not part of tests/e2e/,
which autopkgtest runs against the installed package).  Bounded: the
build is the packaged build only (no tests, -j2), about a minute.
"""
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
UNITS = ("portolan.service", "portolan-update.service", "portolan-update.timer")
UNIT_DIR = pathlib.Path("/lib/systemd/system")
EXPOSURE_MAX = 2.0

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="dpkg -i needs root"),
    pytest.mark.skipif(not all(shutil.which(t) for t in
                               ("dpkg-buildpackage", "dh", "lintian", "systemd-analyze")),
                       reason="Debian's packaging tools are not installed (scripts/setup.sh)"),
]


def sh(*cmd, timeout=120, check=True, **kw):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout,
                       **kw)
    if check:
        assert p.returncode == 0, (cmd, p.returncode, p.stdout[-3000:], p.stderr[-3000:])
    return p


def installed():
    p = sh("dpkg-query", "-W", "-f=${Status}", "portolan", check=False)
    return "installed" in p.stdout and "not-installed" not in p.stdout


def copy_tree(dest):
    """The tree as a clean clone would have it, with uncommitted changes:
    nothing built, no node_modules."""
    p = sh("git", "ls-files", "-co", "--exclude-standard", "-z", cwd=ROOT, check=False)
    if p.returncode == 0:
        names = filter(None, p.stdout.split("\0"))
    else:  # not a git checkout (a tarball): all but what builds and tests leave behind
        skip = ("build", "node_modules", "tests/artifacts", ".git")
        names = [str(f.relative_to(ROOT)) for f in ROOT.rglob("*")
                 if f.is_file() and not str(f.relative_to(ROOT)).startswith(skip)]
    for name in names:
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """(the .deb, the .changes), built once from a copy of the tree."""
    if installed():
        pytest.skip("portolan is installed here already: the test would replace it")
    out = tmp_path_factory.mktemp("deb")
    src = out / "portolan"
    src.mkdir()
    copy_tree(src)
    env = dict(os.environ, DEB_BUILD_OPTIONS="parallel=2")
    t = time.monotonic()
    sh("dpkg-buildpackage", "-us", "-uc", "-b", cwd=src, env=env, timeout=900)
    print(f"dpkg-buildpackage: {time.monotonic() - t:.0f} s")
    version = sh("dpkg-parsechangelog", "-S", "Version", cwd=src).stdout.strip()
    deb = out / f"portolan_{version}_amd64.deb"
    assert deb.is_file(), sorted(p.name for p in out.iterdir())
    return deb, out / f"portolan_{version}_amd64.changes"


def test_lintian_reports_no_errors_and_no_warnings(package):
    deb, changes = package
    p = sh("lintian", "--fail-on", "error,warning", changes, check=False)
    tags = [l for l in p.stdout.splitlines() if re.match(r"^[EW]: ", l)]
    assert p.returncode == 0 and tags == [], p.stdout
    # Any override must say why (a comment line above it).
    overrides = ROOT / "debian" / "portolan.lintian-overrides"
    if overrides.exists():
        lines = overrides.read_text().splitlines()
        for i, line in enumerate(lines):
            if line.strip() and not line.startswith("#"):
                assert i > 0 and lines[i - 1].startswith("# "), f"override without a reason: {line}"


def test_binaries_link_debians_shared_libraries(package, tmp_path):
    deb, _ = package
    sh("dpkg-deb", "-x", deb, tmp_path)
    for binary in ("usr/bin/portolan", "usr/libexec/portolan/portolan-serve"):
        dyn = sh("readelf", "-d", tmp_path / binary).stdout
        needed = set(re.findall(r"Shared library: \[([^]]+)\]", dyn))
        assert {"libsqlite3.so.0", "libc.so.6"} <= needed, (binary, needed)
    # The lookup binary loads no more than it needs (src/cli/main.c: PORTOLAN_LEAN_CLI):
    # no XML parser and no web server, and libunistring only when text that is not ASCII
    # needs it (src/util/unicode.c, dlopen).  portolan-serve links it, so the package
    # still depends on it (${shlibs:Depends}) and the dlopen() finds it.
    dyn = sh("readelf", "-d", tmp_path / "usr/bin/portolan").stdout
    assert "libexpat" not in dyn and "libmicrohttpd" not in dyn and "libunistring" not in dyn
    dyn = sh("readelf", "-d", tmp_path / "usr/libexec/portolan/portolan-serve").stdout
    assert "libunistring" in dyn
    assert "libunistring" in sh("dpkg-deb", "-f", deb, "Depends").stdout
    # The curated data, the catalogs, IANA's registry, the man page, both completions, the units.
    for f in ("usr/share/portolan/data/notes/3516.md", "usr/share/portolan/po/ko.po",
              "usr/share/portolan/iana/service-names-port-numbers.xml",
              "usr/share/man/man1/portolan.1.gz", "usr/share/bash-completion/completions/portolan",
              "usr/share/zsh/vendor-completions/_portolan",
              *(f"lib/systemd/system/{u}" for u in UNITS)):
        assert (tmp_path / f).is_file(), f


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_install_run_remove_purge(package, tmp_path):
    deb, _ = package
    try:
        sh("dpkg", "-i", deb, timeout=300)
        files = [pathlib.Path(f) for f in sh("dpkg", "-L", "portolan").stdout.split()]
        assert pathlib.Path("/usr/libexec/portolan/portolan-serve") in files

        # The units as installed: valid, and the sandbox as tight as promised.
        units = [UNIT_DIR / u for u in UNITS]
        p = sh("systemd-analyze", "verify", "--man=no", *units, check=False)
        assert p.returncode == 0 and p.stderr.strip() == "", p.stderr
        for unit in units[:2]:
            p = sh("systemd-analyze", "security", "--offline=yes", "--no-pager", unit,
                   check=False)
            m = re.search(r"Overall exposure level for \S+: ([\d.]+)", p.stdout)
            assert m and float(m.group(1)) <= EXPOSURE_MAX, (unit, p.stdout[-2000:])

        # First use, offline, by a user with no database of their own: the system-wide one
        # postinst built from the shipped registry, with its people list resolved.
        home = tmp_path / "home"
        env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "NO_COLOR": "1"}
        p = sh("portolan", "3516", env=env, cwd="/")
        assert "smartcard-port" in p.stdout and "Scott Guthery" in p.stdout, p.stdout
        # In Korean: the catalog and the note need libunistring, loaded on first need.
        p = sh("portolan", "3516", "--lang", "ko", env=env, cwd="/")
        assert "스마트카드" in p.stdout, p.stdout
        rep = json.loads(sh("portolan", "3516", "--json", env=env, cwd="/").stdout)
        assert "/usr/share/portolan/iana/service-names-port-numbers.xml" in {
            s["location"] for s in rep["sources"]}
        assert not home.exists()

        # portolan-update.service's command, when IANA cannot be reached, fails and leaves
        # the database as it was.
        db = pathlib.Path("/var/lib/portolan/portolan.db")
        before = db.read_bytes()
        exec_start = re.search(r"^ExecStart=(.*)$", (UNIT_DIR / UNITS[1]).read_text(), re.M)
        p = sh(*exec_start.group(1).split(), "--from", "http://127.0.0.1:9/registry.xml",
               env=env, check=False)
        assert p.returncode != 0 and "download failed" in p.stderr, p.stderr
        assert db.read_bytes() == before

        # portolan serve, from the installed files, on a loopback port.
        port = free_port()
        state = pathlib.Path(tempfile.mkdtemp(prefix="portolan-votes-"))
        state.chmod(0o755)  # the server drops root for nobody, who must reach its votes
        srv = subprocess.Popen(["portolan", "serve", "--listen", f"127.0.0.1:{port}",
                                "--votes", str(state / "votes.db")], env=env, cwd="/",
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert "listening on" in srv.stdout.readline()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/port/3516", timeout=10) as r:
                page = r.read().decode()
            assert r.status == 200 and "smartcard-port" in page
        finally:
            srv.kill()
            srv.wait(timeout=10)
            srv.stdout.close()
            srv.stderr.close()
            shutil.rmtree(state)

        sh("dpkg", "-r", "portolan", timeout=300)
        assert not any(f.exists() for f in files if not f.is_dir()), "dpkg -r left files"
        sh("dpkg", "-P", "portolan", timeout=300)
        assert not installed()
        left = [f for f in files if f.exists() and not f.is_dir()]
        assert left == []
        for d in ("/var/lib/portolan", "/usr/share/portolan", "/usr/libexec/portolan"):
            assert not os.path.exists(d), d
        assert not list(pathlib.Path("/etc/systemd/system").rglob("portolan*"))
    finally:
        if installed() or sh("dpkg-query", "-W", "portolan", check=False).returncode == 0:
            sh("dpkg", "-P", "portolan", check=False, timeout=300)
