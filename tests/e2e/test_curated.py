"""The curated knowledge (issue: unofficial uses, history, notes) in reports,
search and `portolan check-data`."""
import re
import shutil
import subprocess

from conftest import ROOT, report, run


def text(port, db):
    return run(port, db=db, check=0).stdout


def note_md(rep):
    assert rep["note"] is not None
    return rep["note"]["markdown"]


def test_check_data_accepts_the_repository(tmp_path):
    p = run("check-data", "--data", ROOT / "data", check=0)
    assert "valid:" in p.stdout


def test_check_data_names_file_and_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    game = data / "unofficial" / "game.txt"
    lines = game.read_text().splitlines()
    i = next(n for n, l in enumerate(lines) if l.startswith("ports: "))
    lines[i] = "ports: 3174-3074"
    game.write_text("\n".join(lines) + "\n")
    p = run("check-data", "--data", data, check=2)
    assert re.search(rf"game\.txt:{i + 1}: .*ports", p.stderr), p.stderr


def test_check_data_rejects_unknown_category_and_missing_source(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    other = data / "unofficial" / "other.txt"
    other.write_text(other.read_text() + "\nports: 1\nproto: tcp\nwho: X\ncategory: other\n"
                     "text: Missing its source.\n")
    p = run("check-data", "--data", data, check=2)
    assert "other.txt:" in p.stderr and "source" in p.stderr


def test_readme_counts_come_from_the_command():
    counts = run("check-data", "--counts", "--data", ROOT / "data", check=0).stdout.strip()
    for readme in (ROOT / "README.md", ROOT / "data" / "README.md"):
        block = re.search(r"<!-- counts:begin[^>]*-->\n(.*?)\n<!-- counts:end -->",
                          readme.read_text(), re.S)
        assert block, readme
        assert block.group(1).strip() == counts, f"{readme}: run scripts/update-counts.sh"
    total = int(re.search(r"\*\*all categories\*\* \| \*\*(\d+)\*\*", counts).group(1))
    assert total >= 600
    notes = int(re.search(r"Editorial notes: (\d+)", counts).group(1))
    assert notes >= 60


def test_3106_cardbox_note(full_db):
    rep = report("3106", full_db)
    md = note_md(rep)
    for fact in ("1982", "librar", "law firms", "archives", "3105", "licence borrowing",
                 "cannot listen on the same port"):
        assert fact in md, fact
    out = text("3106", full_db)
    assert "1982" in out and "licence borrowing" in out
    # Rendered by md4c (loaded with dlopen), not printed as Markdown source.
    assert "**How likely" in md
    assert "How likely you are to meet it:" in out and "**" not in out


def test_3126_unassigned_netster_and_rainbow_six(full_db):
    rep = report("3126", full_db)
    md = note_md(rep)
    assert "Microsoft .NETster Port" in md
    assert "Rainbow Six Vegas" in md and "3074" in md and "3174" in md
    assert "malware" in md
    who = [u["who"] for u in rep["uses"]]
    assert any("Rainbow Six Vegas" in w for w in who)
    vegas = next(u for u in rep["uses"] if "Rainbow Six Vegas" in u["who"])
    assert (vegas["port_lo"], vegas["port_hi"]) == (3074, 3174)
    assert any(h["former"] == "Microsoft .NETster Port" for h in rep["history"])
    out = text("3126", full_db)
    assert "Rainbow Six Vegas" in out and ".NETster" in out


def test_3516_smartcard_note(full_db):
    md = note_md(report("3516", full_db))
    for fact in ("2002", "Scott Guthery", "PC/SC", "RFC"):
        assert fact in md, fact
    assert "Windows" in md and "macOS" in md and "Linux" in md
    assert "PC/SC" in text("3516", full_db)


def test_2906_caller9_note(full_db):
    md = note_md(report("2906", full_db))
    assert "aol.com" in md and "scanner" in md
    assert "aol.com" in text("2906", full_db)


def test_31337_concern_is_raised_with_its_reason(full_db):
    rep = report("31337", full_db)
    assert rep["concern"]["level"] == "high"
    assert any("Back Orifice" in r["words"] for r in rep["concern"]["codes"])
    assert "High concern" in text("31337", full_db)


def test_a_quiet_registered_port_has_no_concern(full_db):
    assert report("3516", full_db)["concern"]["level"] == "none"


def test_every_use_carries_sources_or_the_marker(full_db):
    for u in report("27015", full_db)["uses"]:
        assert u["sources"] == ["none"] or all(s.startswith("http") for s in u["sources"])


def test_search_finds_curated_text(full_db):
    p = run("search", "Rainbow Six", "--json", db=full_db, check=0)
    assert "3074" in p.stdout


def test_top_ports_have_notes(full_db):
    for port in ("22", "80", "443"):
        assert report(port, full_db)["note"] is not None, port
