"""`portolan search`: ranked full-text search, safe for any input."""
import json

import pytest

from conftest import run


def search(db, *words, check=0):
    p = run("search", *words, "--json", db=db, check=check)
    return json.loads(p.stdout) if p.stdout else None


def test_smartcard_ranks_the_registered_name_first(full_db):
    res = search(full_db, "smartcard")
    assert res["schema"] == "portolan.search/1"
    assert res["hits"][0]["port_lo"] == 3516
    assert res["hits"][0]["name"] == "smartcard-port"
    assert res["match"] == "all words"


def test_several_words_and_fallback_to_any(full_db):
    res = search(full_db, "licence server")
    assert res["hits"]
    if res["match"] == "all words":
        for h in res["hits"][:5]:
            text = (h["name"] + " " + h["snippet"]).lower()
            assert "licen" in text or "server" in text


def test_one_line_per_port_and_name(full_db):
    res = search(full_db, "http", check=0)
    keys = [(h["port_lo"], h["port_hi"], h["name"]) for h in res["hits"]]
    assert len(keys) == len(set(keys))


def test_limit(full_db):
    assert len(search(full_db, "server", "--limit", "3")["hits"]) == 3
    run("search", "server", "--limit", "0", db=full_db, check=2)
    run("search", "server", "--limit", "abc", db=full_db, check=2)


@pytest.mark.parametrize("hostile", ['"', "AND", "NEAR(a b)", "name:x", "*", "a OR", "<script>"])
def test_fts_syntax_is_just_words(full_db, hostile):
    p = run("search", hostile, db=full_db)
    assert p.returncode in (0, 1, 2), p.stderr
    assert "database" not in p.stderr  # never an FTS5 syntax error


def test_nothing_matches_exit_1(full_db):
    p = run("search", "zzqqxxnotaword", db=full_db, check=1)
    assert "no match" in p.stdout


def test_text_output(full_db):
    p = run("search", "smartcard", db=full_db, check=0)
    assert p.stdout.splitlines()[0].startswith("3516")
