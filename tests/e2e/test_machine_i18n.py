"""`who`, `listening`, `connections` and `audit` answer in the reader's language.

Their sentences (nothing listens on PORT, the registry line, the note on
holders this user cannot see, audit --claims' verdicts) come from the
catalogs in po/, chosen by --lang or the locale; the expected words are
read from the compiled catalog, never written here.  What programs read
stays as it was: the listing's tokens, and JSON byte for byte.
"""
import os
import random
import shutil
import socket
import subprocess

import pytest

from conftest import BIN, run
from test_claims import claim, quiet_ports
from test_errors import listener  # noqa: F401 (a fixture: a listener of this test's own)
from test_text_i18n import LANGS, catalogs, code  # noqa: F401 (catalogs is a fixture)


def unbound_port(db):
    """A quiet port (no registry or curated use) nothing on this machine has bound."""
    ports = quiet_ports(db, 200)
    random.shuffle(ports)
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    pytest.skip("no quiet port is free")


def fill(tmpl, *args):
    for i, a in enumerate(args, 1):
        tmpl = tmpl.replace(f"%{i}$s", str(a))
    return tmpl


def test_who_says_nothing_listens_in_the_readers_language(full_db, catalogs):  # noqa: F811
    port = unbound_port(full_db)
    en = run("who", port, db=full_db, check=1).stdout.splitlines()
    assert en[0] == f"nothing listens on {port}"
    for lang in LANGS:
        t = catalogs[lang]
        out = run("who", port, "--lang", code(lang), db=full_db, check=1).stdout.splitlines()
        assert out[0] == fill(t.gettext("nothing listens on %1$s"), port), lang
        # The registry line: its frame translated, the registry's own words as IANA wrote them.
        words = [line.split(": ", 1)[1] for line in en[1:]]
        assert out[1:] == [fill(t.gettext("%1$s in the registry: %2$s"), f"{port}/{p}", w)
                           for p, w in zip(("tcp", "udp"), words)], lang
    # The locale chooses when --lang does not; a port list is said as it was asked.
    out = run("who", f"{port}/udp,{port}", db=full_db, env={"LANG": "de_DE.UTF-8"},
              check=1).stdout
    asked = f"{port}/udp,{port}"
    assert out == fill(catalogs["de"].gettext("nothing listens on %1$s"), asked) + "\n"
    assert out != f"nothing listens on {port}/udp,{port}\n"


def test_who_rejects_an_unknown_language(full_db):
    p = run("who", "22", "--lang", "xx", db=full_db, check=2)
    assert "xx" in p.stderr


def test_json_and_tokens_do_not_change_with_the_language(full_db, listener):  # noqa: F811
    port = unbound_port(full_db)
    for args in (["who", port, "--json"], ["who", listener, "--json"],
                 ["listening", "--port", listener, "--json"],
                 ["connections", "--port", listener, "--json"]):
        en = run(*args, db=full_db)
        for lang in ("ko", "ru"):
            p = run(*args, "--lang", lang, db=full_db)
            assert (p.returncode, p.stdout) == (en.returncode, en.stdout), (args, lang)
            p = run(*args, db=full_db, env={"LANG": f"{lang}.UTF-8"})
            assert p.stdout == en.stdout, (args, lang)
    # The listing is tokens (tcp, the address, command:pid(user), !flags): the same in Korean.
    en = run("listening", "--port", listener, db=full_db, check=0).stdout
    assert f"127.0.0.1:{listener}" in en
    assert run("listening", "--port", listener, "--lang", "ko", db=full_db, check=0).stdout == en


def test_audit_claims_in_the_readers_language(full_db, tmp_path, listener, catalogs):  # noqa: F811
    store = f"sqlite:{tmp_path / 'claims.db'}"
    idle = unbound_port(full_db)
    claim(store, full_db, "add", f"{idle}/tcp", "billing", "--owner", "payments", check=0)
    en = run("audit", "--claims", "--store", store, db=full_db, check=1).stdout.splitlines()
    assert f"- {idle}/tcp billing (owner payments): claimed, nothing listens" in en
    json_en = run("audit", "--claims", "--store", store, "--json", db=full_db, check=1).stdout
    for lang in ("de", "ja", "ru"):
        t = catalogs[lang]
        out = run("audit", "--claims", "--store", store, "--lang", lang, db=full_db,
                  check=1).stdout.splitlines()
        idle_line = "- " + fill(t.gettext("%1$s %2$s (owner %3$s): claimed, nothing listens"),
                                f"{idle}/tcp", "billing", "payments")
        assert idle_line in out, lang
        # Our own unclaimed listener: its tokens as in English, then the verdict translated.
        mine = [line for line in out if f"127.0.0.1:{listener} " in line]
        assert len(mine) == 1 and mine[0].endswith("   " + t.gettext("(no claim)")), (lang, mine)
        assert mine[0].startswith("+ tcp ") and "(no claim)" not in mine[0]
        p = run("audit", "--claims", "--store", store, "--json", "--lang", lang, db=full_db,
                check=1)
        assert p.stdout == json_en, lang


def as_nobody(*args, env=None):
    """portolan as an unprivileged user, who cannot see root's processes."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv(1) to run as another user")
    full = {"HOME": "/nonexistent", "LANG": "C.UTF-8", "NO_COLOR": "1", **(env or {})}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            full[k] = os.environ[k]
    return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", BIN,
                           *map(str, args)], capture_output=True, text=True, env=full, timeout=60)


def test_unseen_note_in_the_readers_language(listener, catalogs):  # noqa: F811
    # The listener is root's: another user sees it without a holder, and is told why.
    en = as_nobody("listening", "--port", listener)
    assert en.returncode == 0, en.stderr
    assert en.stdout.splitlines()[-1] == "1 listener owned by other users: run as root to see who"
    for lang in ("ko", "fr", "ru"):
        t = catalogs[lang]
        want = fill(t.ngettext("%1$s listener owned by other users: run as root to see who",
                               "%1$s listeners owned by other users: run as root to see who",
                               1), 1)
        p = as_nobody("listening", "--port", listener, "--lang", lang)
        assert p.stdout.splitlines() == en.stdout.splitlines()[:-1] + [want], lang
        p = as_nobody("listening", "--port", listener, env={"LANG": f"{lang}.UTF-8"})
        assert p.stdout.splitlines()[-1] == want, lang
    # A connection is said as a connection (both ends are root's here).
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen()
        with socket.create_connection(srv.getsockname()) as c, srv.accept()[0]:
            p = as_nobody("connections", "--port", c.getsockname()[1], "--lang", "de")
    lines = p.stdout.splitlines()
    n = len(lines) - 1
    assert n == 2 and all(line.split()[3] == "?" for line in lines[:-1]), p.stdout
    want = catalogs["de"].ngettext("%1$s connection owned by other users: run as root to see who",
                                   "%1$s connections owned by other users: run as root to see who",
                                   n)
    assert lines[-1] == fill(want, n), p.stdout
