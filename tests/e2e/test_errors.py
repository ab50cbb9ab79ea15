"""Errors that say what happened: a damaged, unreadable or missing database,
a mistyped command, a filter that names nobody.

A damaged database must never pass for one that knows less: every command
that reads it exits 3 and names the file, rather than printing what it
could read before the damage with exit 0.
"""
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import tempfile

import pytest

from conftest import BIN, run

# Commands that read the database, each in the shape a user types it.
READERS = [["3516"], ["3126"], ["ssh"], ["search", "http"], ["free"], ["listening"],
           ["who", "22"]]


def damage_pages(src, dst, keep=("sqlite_schema", "meta", "sqlite_autoindex_meta_1")):
    """Copy src to dst with every page of every table but `keep` overwritten
    with garbage: the file opens (its header, schema and meta are intact),
    and a query fails only when it reads a damaged page."""
    shutil.copy(src, dst)
    with sqlite3.connect(f"file:{src}?mode=ro", uri=True) as c:
        size = c.execute("PRAGMA page_size").fetchone()[0]
        marks = ",".join("?" * len(keep))
        pages = [r[0] for r in c.execute(
            f"SELECT pageno FROM dbstat WHERE name NOT IN ({marks})", keep)]
    rnd = random.Random(13)
    with open(dst, "r+b") as f:
        for p in pages:
            f.seek((p - 1) * size)
            f.write(rnd.randbytes(size))
    return dst


@pytest.fixture
def listener():
    """One listener on this machine, so `listening` has a port to annotate."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    yield s.getsockname()[1]
    s.close()


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_damaged_database_fails_naming_the_file(full_db, tmp_path, listener, args):
    bad = damage_pages(full_db, tmp_path / "damaged.db")
    p = run(*args, db=bad)
    assert p.returncode == 3, (args, p.returncode, p.stdout[-500:], p.stderr)
    assert str(bad) in p.stderr and "portolan update" in p.stderr, p.stderr
    assert p.stdout == "", p.stdout[:500]  # no partial answer


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_truncated_database_is_not_a_portolan_database(full_db, tmp_path, args):
    bad = tmp_path / "truncated.db"
    bad.write_bytes(full_db.read_bytes()[: full_db.stat().st_size // 3])
    p = run(*args, db=bad)
    assert p.returncode == 3, (args, p.returncode, p.stdout[-500:], p.stderr)
    assert f"{bad}: not a portolan database (" in p.stderr, p.stderr
    assert p.stdout == ""


def test_garbage_file_is_not_a_portolan_database(tmp_path):
    bad = tmp_path / "garbage.db"
    bad.write_bytes(random.Random(1).randbytes(8192))
    p = run("3516", db=bad, check=3)
    assert f"{bad}: not a portolan database (file is not a database)" in p.stderr, p.stderr


@pytest.mark.parametrize("args", [["3516"], ["serve"]], ids=" ".join)
def test_missing_database_says_how_to_build_it(tmp_path, args):
    missing = tmp_path / "missing.db"
    p = run(*args, db=missing, check=2)
    assert f"no database at {missing}: build it with `portolan update`" in p.stderr, p.stderr


def test_unreadable_database_says_permission_denied(full_db):
    """root reads any file, so the command runs as nobody (setpriv)."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to run as an unprivileged user")
    d = tempfile.mkdtemp(prefix="portolan-perm-", dir="/tmp")
    try:
        os.chmod(d, 0o755)  # nobody may look inside, just not read the file
        db = os.path.join(d, "portolan.db")
        shutil.copy(full_db, db)
        os.chmod(db, 0)
        for args in (["3516"], ["search", "http"], ["free"], ["serve"]):
            p = subprocess.run([setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                BIN, *args, "--db", db], capture_output=True, text=True,
                               env={"PATH": os.environ.get("PATH", ""), "NO_COLOR": "1"})
            assert p.returncode == 3, (args, p.returncode, p.stderr)
            assert f"cannot read {db}: Permission denied" in p.stderr, p.stderr
            assert "portolan update" not in p.stderr, p.stderr  # rebuilding is no cure
    finally:
        shutil.rmtree(d)


@pytest.mark.parametrize("typo, meant", [("serach", "search"), ("lookpu", "lookup"),
                                         ("listenign", "listening"), ("udpate", "update")])
def test_mistyped_command_is_named_with_the_nearest(full_db, typo, meant):
    p = run(typo, "ssh", db=full_db, check=2)
    assert f"unknown command '{typo}'; did you mean '{meant}'?" in p.stderr, p.stderr
    assert p.stdout == ""


def test_mistyped_command_without_a_database_is_still_named(tmp_path):
    p = run("serach", "ssh", db=tmp_path / "missing.db", check=2)
    assert "unknown command 'serach'; did you mean 'search'?" in p.stderr, p.stderr


@pytest.mark.parametrize("word", ["ssh", "http", "who", "free"])
def test_service_names_and_commands_keep_working(full_db, word):
    """A bare word the database knows is a lookup even near a command's name
    ("ssh" is one edit from "ls")."""
    p = run(word, *(["22"] if word == "who" else []), db=full_db)
    assert p.returncode in (0, 1) and "unknown command" not in p.stderr, p.stderr
    assert p.stdout


def test_unknown_word_far_from_any_command_is_a_lookup(full_db):
    p = run("zzyzx-not-a-service", db=full_db, check=1)
    assert "nothing known" in p.stdout and "unknown command" not in p.stderr


def test_explicit_lookup_of_a_typo_is_a_lookup(full_db):
    p = run("lookup", "serach", db=full_db, check=1)
    assert "unknown command" not in p.stderr


@pytest.mark.parametrize("args, meant", [(["search", "--jsno", "http"], "--json"),
                                         (["ls", "--usr", "root"], "--user"),
                                         (["free", "--coutn", "3"], "--count")])
def test_mistyped_option_is_named_with_the_nearest(full_db, args, meant):
    p = run(*args, db=full_db, check=2)
    assert f"unknown option '{args[1]}'; did you mean '{meant}'?" in p.stderr, p.stderr


def test_unknown_user_filter_is_an_error(full_db, listener):
    p = run("ls", "--user", "bogususer", db=full_db, check=2)
    assert "bogususer" in p.stderr and p.stdout == "", (p.stdout, p.stderr)
    # A real user is a filter, not an error, whether anything of theirs listens or not.
    p = run("ls", "--user", "root", db=full_db, check=0)
    assert f":{listener} " in p.stdout, p.stdout
    run("ls", "--user", "nobody", db=full_db, check=0)
