"""The command line's contract: help, exit codes, colour."""
import os
import subprocess

import pytest

from conftest import BIN, ROOT, run, tty_output as _tty_output

COMMANDS = ["lookup", "search", "update", "who", "listening", "audit", "free", "serve", "export",
            "feedback", "check-data"]


@pytest.mark.parametrize("cmd", COMMANDS)
def test_help_for_each_command(cmd):
    p = run(cmd, "--help", check=0)
    assert "usage: portolan" in p.stdout


def test_no_arguments_is_a_usage_error():
    p = run(check=2)
    assert "usage:" in p.stderr


def test_top_level_help_lists_commands():
    p = run("--help", check=0)
    for cmd in COMMANDS:
        assert cmd in p.stdout


def test_version():
    assert run("--version", check=0).stdout.startswith("portolan ")


@pytest.mark.parametrize("cmd", ["lookup", "search", "who", "listening", "audit", "free",
                                 "feedback"])
def test_unknown_option_names_it(full_db, cmd):
    p = run(cmd, "--frobnicate", "80", db=full_db, check=2)
    assert "unknown option '--frobnicate'" in p.stderr
    assert f"Try 'portolan {cmd} --help'." in p.stderr


def test_an_option_before_the_query_says_where_it_goes(full_db):
    # `portolan --json who` would be ambiguous: the command, or the service "who"?
    p = run("--json", "who", check=2)
    assert "'--json' comes after the query (portolan 3516 --json)" in p.stderr
    assert p.stdout == ""
    assert run("3516", "--json", db=full_db, check=0).stdout.startswith("{")


@pytest.mark.parametrize("cmd", ["who", "listening", "free", "search"])
def test_missing_option_value_says_so(full_db, cmd):
    p = run(cmd, "--db", check=2)
    assert "option '--db' needs a value" in p.stderr


def test_colour_only_on_a_tty_and_never_with_no_color(full_db):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\033[" in _tty_output(["3516", "--db", str(full_db)], env)
    assert "\033[" not in _tty_output(["3516", "--db", str(full_db)], dict(env, NO_COLOR="1"))
    assert "\033[" not in _tty_output(["3516", "--no-color", "--db", str(full_db)], env)
    piped = subprocess.run([BIN, "3516", "--db", str(full_db)], capture_output=True, text=True,
                           env=env)
    assert "\033[" not in piped.stdout


def test_default_database_path_from_xdg(full_db, tmp_path):
    xdg = tmp_path / "xdg"
    (xdg / "portolan").mkdir(parents=True)
    (xdg / "portolan" / "portolan.db").symlink_to(full_db)
    p = run("3516", env={"XDG_DATA_HOME": str(xdg)}, check=0)
    assert "smartcard-port" in p.stdout
    p = run("3516", env={"PORTOLAN_DB": str(full_db), "XDG_DATA_HOME": "/nonexistent"}, check=0)
    assert "smartcard-port" in p.stdout


def test_database_through_symlinks(full_db, tmp_path):
    """A link as the file, as a directory above it, and both: all open the same database."""
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "p.db").symlink_to(full_db)
    (tmp_path / "linkdir").symlink_to(tmp_path / "real")
    for path in [tmp_path / "real" / "p.db", tmp_path / "linkdir" / "p.db"]:
        p = run("3516", "--db", path, check=0)
        assert "smartcard-port" in p.stdout, path
    p = run("3516", "--db", tmp_path / "linkdir" / "missing.db", check=2)
    assert "no database at" in p.stderr and "portolan update" in p.stderr


def test_man_page_and_completion_know_every_command():
    import re
    from conftest import ROOT
    listed = re.findall(r"^  (\S+) ", run("--help", check=0).stdout, re.M)
    man = (ROOT / "docs" / "portolan.1").read_text()
    completion = (ROOT / "completions" / "portolan.bash").read_text()
    for cmd in listed:
        assert cmd.replace("-", "\\-") in man or cmd in man, cmd
        assert cmd in completion, cmd


@pytest.mark.parametrize("args,message", [
    (["3106/"], "no protocol after the '/'"),
    (["update", "--from", ""], '--from takes a file or a URL, not ""'),
    (["update", "--npm", ""], '--npm takes a directory, not ""'),
])
def test_empty_values_are_named(args, message):
    p = run(*args, check=2)
    assert message in p.stderr


def test_the_readme_example_is_what_the_first_command_prints(full_db):
    # The README's example is the offline default its first command builds
    # (full_db: the same `update --from data/iana/...xml`); its lines before
    # "..." must be the real output's first lines.
    text = (ROOT / "README.md").read_text()
    block = text.split("```\n$ portolan 3516\n", 1)[1].split("\n...\n", 1)[0]
    out = run("3516", db=full_db, check=0).stdout
    assert out.startswith(block + "\n"), out[:800]
