"""The translations in po/: complete, current and valid, per gettext's tools.

scripts/update-po.sh --check regenerates the template from the sources and
fails on a stale po/portolan.pot, a catalog missing a msgid, an untranslated
or fuzzy entry, or a msgstr whose printf conversions differ (msgfmt -c
--check-format).  The negative cases run the same check on a damaged copy
of po/, so the check is shown to fail when it should.
"""
import os
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PO = ROOT / "po"
LANGS = ["hi", "id", "sv", "ko", "de", "fr", "es", "pt", "ja", "zh_Hans", "ru"]

pytestmark = pytest.mark.skipif(shutil.which("msgcmp") is None,
                                reason="gettext (msgcmp, msgfmt) is not installed")


def check(podir):
    env = dict(os.environ, PODIR=str(podir))
    return subprocess.run([str(ROOT / "scripts" / "update-po.sh"), "--check"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


def test_every_language_has_a_catalog():
    assert sorted(p.stem for p in PO.glob("*.po")) == sorted(LANGS)


def test_catalogs_are_complete_and_valid():
    p = check(PO)
    assert p.returncode == 0, p.stdout + p.stderr


def test_template_has_the_site_strings():
    text = (PO / "portolan.pot").read_text()
    assert len(re.findall(r'^msgid "', text, re.M)) > 1, "no msgid extracted from src/render"


def damaged(tmp_path, edit):
    copy = tmp_path / "po"
    shutil.copytree(PO, copy)
    ko = copy / "ko.po"
    ko.write_text(edit(ko.read_text()))
    return copy


def first_entry(text):
    """The span of the first translated entry after the header."""
    m = re.search(r'\n\n((?:#.*\n)*)(msgid "[^"]+".*?)(?=\n\n|\Z)', text, re.S)
    assert m, "ko.po has no entry"
    return m


def test_check_fails_on_a_fuzzy_entry(tmp_path):
    def fuzzy(text):
        m = first_entry(text)
        return text[:m.start(2)] + "#, fuzzy\n" + text[m.start(2):]
    p = check(damaged(tmp_path, fuzzy))
    assert p.returncode != 0
    assert "fuzzy" in p.stderr + p.stdout


def test_check_fails_on_a_missing_msgid(tmp_path):
    def drop(text):
        m = first_entry(text)
        return text[:m.start(1)] + text[m.end(2):]
    p = check(damaged(tmp_path, drop))
    assert p.returncode != 0
    assert "ko.po" in p.stderr + p.stdout


def test_check_fails_on_an_untranslated_msgid(tmp_path):
    def empty(text):
        m = first_entry(text)
        entry = re.sub(r'msgstr(\[\d\])? ".*?"(\n".*?")*', lambda s: 'msgstr%s ""' % (s.group(1) or ""),
                       m.group(2), flags=re.S)
        return text[:m.start(2)] + entry + text[m.end(2):]
    p = check(damaged(tmp_path, empty))
    assert p.returncode != 0
    assert "untranslated" in p.stderr + p.stdout
