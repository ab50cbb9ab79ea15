"""Output fits the terminal.

Help texts are written to 80 columns.  Reports are folded to the width of
the terminal (TIOCGWINSZ), else $COLUMNS, else 80.  The one line allowed
to be wider is a single word that cannot be broken, a long URL or path,
alone on its line after the indent: breaking it would make it useless to
copy.
"""
import os
import re
import unicodedata

import pytest

from conftest import run, tty_output

HELP = [[], ["lookup"], ["search"], ["update"], ["who"], ["listening"], ["ls"], ["audit"],
        ["free"], ["claim"], ["serve"], ["export"], ["feedback"], ["check-data"]]
REPORTS = [["3516"], ["3126"], ["free"], ["search", "http"], ["22"], ["6000-6063"], ["ssh"]]
ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def too_wide(text, width):
    """The lines wider than width, except one unbreakable word alone on its line."""
    return [line for line in text.splitlines()
            if len(ESCAPE.sub("", line).expandtabs(8)) > width and len(line.split()) > 1]


@pytest.mark.parametrize("args", HELP, ids=lambda a: " ".join(a) or "portolan")
def test_help_fits_80_columns(args):
    p = run(*args, "--help", check=0)
    wide = [line for line in p.stdout.splitlines() if len(line) > 80]
    assert p.stdout and not wide, wide


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_report_fits_80_columns_when_piped(full_db, args):
    p = run(*args, db=full_db, env={"COLUMNS": ""})
    assert p.returncode in (0, 1), p.stderr
    assert p.stdout and not too_wide(p.stdout, 80), too_wide(p.stdout, 80)


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_report_follows_columns(full_db, args):
    p = run(*args, db=full_db, env={"COLUMNS": "50"})
    assert p.stdout and not too_wide(p.stdout, 50), too_wide(p.stdout, 50)


def test_folded_prose_keeps_every_word(full_db):
    """Folding moves words to the next line; it never drops or splits one."""
    wide = run("3126", db=full_db, env={"COLUMNS": "1000"}).stdout
    narrow = run("3126", db=full_db, env={"COLUMNS": "40"}).stdout
    assert wide.split() == narrow.split()
    assert len(narrow.splitlines()) > len(wide.splitlines())


def test_folded_line_continues_under_its_column(full_db):
    """A record row folds under its name column, not back at the port."""
    out = run("3516", db=full_db, env={"COLUMNS": "40"}).stdout
    lines = out.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("  3516/"))
    column = lines[row].index("smartcard-port")
    assert lines[row + 1].startswith(" " * column) and lines[row + 1][column] != " ", \
        lines[row:row + 2]


def test_terminal_width_wins_over_columns(full_db):
    """On a terminal the window's width counts (colour escapes take none of it)."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["COLUMNS"] = "200"
    out = tty_output(["3126", "--db", str(full_db)], env, columns=60).replace("\r\n", "\n")
    assert "\033[" in out and "The range it belongs to" in out
    assert not too_wide(out, 60), too_wide(out, 60)


def columns(line):
    """The columns a terminal gives line: two for a wide character, none for a mark."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_korean_folds_by_columns(full_db):
    """Hangul takes two columns: Korean prose fills the width in columns, not characters
    (twice too wide) nor bytes (a third too narrow)."""
    out = run("3516", "--lang", "ko", db=full_db, env={"COLUMNS": "50"}, check=0).stdout
    prose = [line for line in out.splitlines()
             if len(line.split()) > 1 and any(unicodedata.east_asian_width(c) == "W" for c in line)]
    assert len(prose) > 10, out
    assert max(map(columns, prose)) <= 50, [l for l in prose if columns(l) > 50]
    assert sum(columns(l) > 40 for l in prose) > len(prose) // 2, out
