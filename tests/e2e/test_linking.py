"""A dynamically linked portolan loads libunistring only when text needs it.

The Debian package's portolan (STATIC=0), like the ASan build these tests
run against in scripts/test.sh, is dynamically linked; binding libunistring
at start-up was 0.15 ms of a 2 ms lookup that in English uses nothing from
it, so it is loaded with dlopen() on first need (src/util/unicode.c).  The
static build links it: there these tests have nothing to see, and `make
e2e` leaves this file out (a direct pytest run skips it).
"""
import os
import re
import shutil
import subprocess

import pytest

from conftest import BIN, run


def needed(binary):
    out = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True).stdout
    return re.findall(r"Shared library: \[([^]]+)\]", out)


pytestmark = pytest.mark.skipif(
    shutil.which("readelf") is None or not needed(BIN),
    reason="portolan is statically linked here: libunistring is part of it")


def loaded(*args, db, env=None):
    """Run a lookup; the shared libraries the dynamic loader initialised, and the run."""
    p = run(*args, db=db, env={"LD_DEBUG": "libs", **(env or {})})
    return re.findall(r"calling init: (\S+)", p.stderr), p


def test_portolan_is_not_linked_against_libunistring():
    assert not [n for n in needed(BIN) if "libunistring" in n], needed(BIN)


@pytest.mark.parametrize("args", [["3106", "--json", "--no-machine"], ["3106"], ["3516"],
                                  ["search", "ssh"], ["free", "--no-machine"]],
                         ids=" ".join)
def test_an_english_lookup_does_not_load_it(full_db, args):
    """Nor do English search and free, whose folding asks the library only about text
    that is not ASCII."""
    libs, p = loaded(*args, db=full_db, env={"COLUMNS": "40"})
    assert p.returncode == 0, p.stderr[-2000:]
    assert re.search(r"3106|3516|ssh|[0-9]+ of [0-9]+ ports qualify", p.stdout)
    assert libs and not [l for l in libs if "libunistring" in l], libs


def test_a_korean_lookup_loads_it_and_folds_by_columns(full_db):
    libs, p = loaded("3516", "--lang", "ko", db=full_db)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "스마트카드" in p.stdout
    assert [l for l in libs if "libunistring" in l], libs


def test_a_japanese_lookup_folds_through_the_loaded_library(full_db):
    libs, p = loaded("22", "--lang", "ja", "--no-machine", db=full_db, env={"COLUMNS": "50"})
    assert p.returncode == 0, p.stderr[-2000:]
    assert [l for l in libs if "libunistring" in l], libs
    assert max(len(l) for l in p.stdout.splitlines() if not l.isascii()) < 50


def test_without_the_library_it_says_which_and_fails(full_db, tmp_path):
    """Should libunistring be gone, Korean text fails with its name, never a crash;
    English still answers."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare(1) to hide the library in a mount namespace")
    path = next((l for l in loaded("3516", "--lang", "ko", db=full_db)[0]
                 if "libunistring" in l), None)
    assert path is not None
    hide = f'mount --bind /dev/null "{os.path.realpath(path)}" && exec "$@"'
    cmd = ["unshare", "--mount", "sh", "-c", hide, "sh", BIN, "3516", "--db", str(full_db)]
    env = dict(os.environ, LANG="C.UTF-8", NO_COLOR="1")
    en = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if "mount" in en.stderr or "unshare" in en.stderr:
        pytest.skip(f"cannot hide a file in a mount namespace here: {en.stderr[-300:]}")
    assert en.returncode == 0 and "smartcard-port" in en.stdout, en.stderr
    ko = subprocess.run(cmd + ["--lang", "ko"], capture_output=True, text=True, env=env)
    assert ko.returncode == 3, (ko.returncode, ko.stderr)
    assert re.search(r"cannot load libunistring\.so\.\d+", ko.stderr), ko.stderr
