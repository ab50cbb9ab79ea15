"""The terminal answers wholly in the reader's language.

A lookup's registry block, the claims section, the listening note, range
lookups, `portolan search` and `portolan free` print their labels and
sentences from the catalogs in po/ (the expected words are read from the
catalog, compiled with msgfmt, never written here); the values IANA wrote
stay as written.  Labels line up by terminal columns, so a Korean or
Japanese label (two columns a character) does not push its value out of
line.  Japanese and Chinese prose, which has no blanks, folds to the width
where the Unicode line breaking rules allow; Korean still breaks only at
its spaces.
"""
import gettext
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import tempfile
import unicodedata

import pytest

from conftest import BIN, ROOT, run
from test_claims import quiet_ports

LANGS = ["hi", "id", "sv", "ko", "de", "fr", "es", "pt", "ja", "zh_Hans", "ru"]
# The registry block's labels in English, as the text renderer printed them before and now.
REGISTRY_LABELS = ["assignee", "contact", "registered", "modified", "reference", "references",
                   "notes", "service code", "unauthorized use", "unauthorized use reported:"]
LABEL_LINE = re.compile(r"^ {7}(\S.*?)(?: {2,}|$)")


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory):
    """Each language's catalog, compiled as a program would read it."""
    if shutil.which("msgfmt") is None:
        pytest.skip("needs msgfmt (gettext)")
    d = tmp_path_factory.mktemp("mo")
    out = {}
    for lang in LANGS:
        mo = d / f"{lang}.mo"
        subprocess.run(["msgfmt", "-o", str(mo), str(ROOT / "po" / f"{lang}.po")], check=True)
        with open(mo, "rb") as f:
            out[lang] = gettext.GNUTranslations(f)
    return out


def code(lang):
    return lang.replace("_", "-")


def columns(s):
    """Terminal columns: two for East Asian wide and fullwidth characters, none for marks."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def fill(template, *args):
    for i, a in enumerate(args, 1):
        template = template.replace(f"%{i}$s", str(a))
    return template


def registry_block(text):
    """The label lines of the report: seven blanks, then a label (the registry block's form)."""
    return [line for line in text.splitlines() if LABEL_LINE.match(line)]


@pytest.mark.parametrize("lang", LANGS)
def test_registry_block_has_no_english_label(full_db, catalogs, lang):
    t = catalogs[lang].gettext
    # A word the language shares with English is its own (French "Contact").
    same = {t(m) for m in ("Assignee", "Contact", "Registered", "Modified", "References", "Notes",
                           "Service code", "Unauthorized use")}
    # 22: assignee, contact, modified, references, notes; 3126: registered; 4315: unauthorized use.
    for port in ("22", "3126", "4315/tcp"):
        text = run(port, "--lang", code(lang), "--no-machine", db=full_db, check=0).stdout
        labels = [LABEL_LINE.match(line).group(1).strip() for line in registry_block(text)]
        assert labels, text
        english = [l for l in labels if l.lower() in REGISTRY_LABELS and l not in same]
        assert not english, (port, english)
    text = run("22", "--lang", code(lang), "--no-machine", db=full_db, check=0).stdout
    for msgid in ("Assignee", "Contact", "Modified", "References", "Notes"):
        assert any(line.startswith("       " + t(msgid) + "  ") for line in text.splitlines()), \
            (msgid, t(msgid))


@pytest.mark.parametrize("lang", ["ko", "ja", "zh_Hans", "ru", "en"])
def test_registry_values_start_in_one_column(full_db, catalogs, lang):
    """Counted in terminal columns: a Hangul label of three characters is six wide."""
    t = catalogs[lang].gettext if lang != "en" else str
    text = run("22", "--lang", code(lang), "--no-machine", db=full_db, check=0).stdout
    starts = set()
    for line in registry_block(text):
        m = re.match(r"^( {7}(\S.*?)  +)\S", line)
        assert m.group(2) in {t(x) for x in ("Assignee", "Contact", "Modified", "References",
                                             "Notes")}, line
        starts.add(columns(m.group(1)))
    assert len(starts) == 1, (starts, registry_block(text))


def test_unauthorized_use_is_labelled_in_the_language(full_db, catalogs):
    text = run("4315/tcp", "--lang", "ko", "--no-machine", db=full_db, check=0).stdout
    assert f"       {catalogs['ko'].gettext('Unauthorized use')}  Unauthorized Use Known on port 4315" \
        in text
    assert "unauthorized use reported" not in text.lower()


def too_wide(text, width):
    """Lines wider than width in terminal columns, except one unbreakable word alone on its line,
    a URL or path (test_width.py): a sentence in Japanese without a blank is no such word."""
    return [line for line in text.splitlines()
            if columns(line.expandtabs(8)) > width and
            (len(line.split()) > 1 or not line.isascii())]


@pytest.mark.parametrize("lang", ["ja", "zh_Hans"])
@pytest.mark.parametrize("query", ["22", "6000-6063", "3389", "80"])
def test_cjk_prose_folds_to_the_width(full_db, lang, query):
    p = run(query, "--lang", code(lang), "--no-machine", db=full_db, env={"COLUMNS": "50"})
    assert p.returncode == 0, p.stderr
    assert not too_wide(p.stdout, 50), too_wide(p.stdout, 50)
    # Nothing is lost or reordered: the same characters as an unfolded report.
    wide = run(query, "--lang", code(lang), "--no-machine", db=full_db,
               env={"COLUMNS": "1000"}).stdout
    assert "".join(p.stdout.split()) == "".join(wide.split())
    assert len(p.stdout.splitlines()) > len(wide.splitlines())


def test_korean_still_breaks_only_at_spaces(full_db):
    narrow = run("22", "--lang", "ko", "--no-machine", db=full_db, env={"COLUMNS": "50"}).stdout
    wide = run("22", "--lang", "ko", "--no-machine", db=full_db, env={"COLUMNS": "1000"}).stdout
    assert not too_wide(narrow, 50), too_wide(narrow, 50)
    assert narrow.split() == wide.split()  # every word whole


def test_a_url_in_japanese_text_is_not_broken(full_db):
    out = run("22", "--lang", "ja", "--no-machine", db=full_db, env={"COLUMNS": "30"}).stdout
    for url in ("https://www.rfc-editor.org/rfc/rfc4251", "https://www.openssh.com/"):
        assert url in out.split(), url


@pytest.mark.parametrize("lang", LANGS)
def test_search_answers_in_the_language(full_db, catalogs, lang):
    t = catalogs[lang]
    p = run("search", "--lang", code(lang), "zzqqxx", db=full_db, check=1)
    assert p.stdout == fill(t.gettext('no match for "%1$s"'), "zzqqxx") + "\n"
    hit = run("search", "--lang", code(lang), "rdp", db=full_db, check=0).stdout.splitlines()[0]
    assert hit.endswith(" " + fill(t.gettext("(as %1$s)"), "rdp")), hit
    some = run("search", "--lang", code(lang), "secure", "zzqqxx", db=full_db, check=0).stdout
    assert some.splitlines()[-1] == "(" + t.gettext("no hit has every word; these have some") + ")"


def test_search_follows_the_locale(full_db, catalogs):
    p = run("search", "zzqqxx", db=full_db, env={"LANG": "ko_KR.UTF-8"}, check=1)
    assert p.stdout == fill(catalogs["ko"].gettext('no match for "%1$s"'), "zzqqxx") + "\n"
    assert run("search", "--lang", "xx", "ssh", db=full_db).returncode == 2
    # JSON is for programs: the same with or without a language.
    assert run("search", "--json", "--lang", "ko", "ssh", db=full_db).stdout == \
        run("search", "--json", "ssh", db=full_db).stdout


@pytest.mark.parametrize("lang", LANGS)
def test_range_lookup_answers_in_the_language(full_db, catalogs, lang):
    t = catalogs[lang]
    text = run("1-5000", "--lang", code(lang), "--no-machine", db=full_db, check=0,
               env={"COLUMNS": "1000"}).stdout
    header = text.splitlines()[0]
    assert re.search(r" and \d+ more", text) is None, header
    n = int(re.search(r"(\d+)", header.split("ftp-data", 1)[1]).group(1))
    assert fill(t.ngettext("and %1$s more", "and %1$s more", n), n) in header
    text = run("6000-6010", "--lang", code(lang), "--no-machine", db=full_db, check=0,
               env={"COLUMNS": "1000"}).stdout
    assert "a name IANA does not list here" not in text
    assert "(" + t.gettext("a name IANA does not list here") + ")" in text


@pytest.mark.parametrize("lang", LANGS)
def test_free_answers_in_the_language(full_db, catalogs, lang):
    t = catalogs[lang]
    text = run("free", "--lang", code(lang), "--no-machine", db=full_db, check=0).stdout
    lines = text.splitlines()
    assert lines[0].startswith(fill(t.gettext("Quiet ports for a new service, %1$s-%2$s"),
                                    1024, 49151))
    for msgid in ("This machine's sockets were not checked (--no-machine).",
                  "`portolan PORT` tells everything known about one.", "assigned by IANA",
                  "in the ephemeral range"):
        assert t.gettext(msgid) in text, msgid
    for english in ("Quiet ports", "sockets were not checked", "assigned by IANA", "qualify"):
        assert english not in text, english


def test_the_claims_section_speaks_the_language(full_db, catalogs, tmp_path):
    t = catalogs["ko"].gettext
    store = f"sqlite:{tmp_path / 'claims.db'}"
    port = quiet_ports(full_db, 1)[0]
    run("claim", "add", f"{port}/tcp", "billing-api", "--owner", "payments", "--contact",
        "pay@example.org", "--store", store, db=full_db, check=0)
    text = run(port, "--lang", "ko", "--no-machine", "--store", store, db=full_db).stdout
    assert "\n" + t("Claimed in this organisation") + "\n" in text
    owner = [l for l in text.splitlines() if l.strip().startswith(t("Owner") + " ")]
    assert owner and owner[0].split()[-1] == "payments", text
    assert ", owner " not in text and "Claimed in this organisation" not in text


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to look as another user")
def test_the_listening_note_speaks_the_language(full_db, catalogs):
    """root listens; nobody asks: the note says why the holder is not shown, in Korean."""
    # Outside pytest's own directories, which nobody may not enter.
    d = pathlib.Path(tempfile.mkdtemp(prefix="portolan-i18n-"))
    os.chmod(d, 0o755)
    shutil.copy(full_db, d / "portolan.db")
    os.chmod(d / "portolan.db", 0o644)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = s.getsockname()[1]
    try:
        env = dict(os.environ, NO_COLOR="1", LANG="C.UTF-8")
        p = subprocess.run(["setpriv", "--reuid", "nobody", "--regid", "nogroup",
                            "--clear-groups", BIN, str(port), "--lang", "ko", "--db",
                            str(d / "portolan.db")], capture_output=True, text=True, env=env,
                           timeout=60)
        js = subprocess.run(["setpriv", "--reuid", "nobody", "--regid", "nogroup",
                             "--clear-groups", BIN, str(port), "--json", "--lang", "ko", "--db",
                             str(d / "portolan.db")], capture_output=True, text=True, env=env,
                            timeout=60)
    finally:
        s.close()
        shutil.rmtree(d)
    listening = json.loads(js.stdout)["listening"]
    assert listening["unseen"] >= 1 and listening["unseen_why"] in ("other-users", "hidepid")
    assert "run as root" in listening["note"]  # JSON keeps its English note
    n = listening["unseen"]
    if listening["unseen_why"] == "other-users":
        want = fill(catalogs["ko"].ngettext(
            "%1$s listener owned by other users: run as root to see who",
            "%1$s listeners owned by other users: run as root to see who", n), n)
    else:
        want = fill(catalogs["ko"].ngettext(
            "%1$s listener held by processes /proc hides from this user (mounted "
            "hidepid=%2$s): run as root to see who",
            "%1$s listeners held by processes /proc hides from this user (mounted "
            "hidepid=%2$s): run as root to see who", n), n, listening["hidepid"])
    assert " ".join(want.split()) in " ".join(p.stdout.split()), p.stdout
    assert "run as root" not in p.stdout
