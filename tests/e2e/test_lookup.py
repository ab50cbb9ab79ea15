"""`portolan PORT` and `portolan lookup`: the port report, from data."""
import datetime
import json

import pytest

from conftest import report, run


def services(rep):
    return {(r["service"], r["protocol"]) for r in rep["records"]}


def people_names(rep, role):
    return {p["name"] for r in rep["records"] for p in r[role]}


def test_3106_cardbox_http_with_sibling(full_db):
    rep = report("3106", full_db)
    assert rep["found"] is True
    assert services(rep) == {("cardbox-http", "tcp"), ("cardbox-http", "udp")}
    assert people_names(rep, "assignee") == {"Martin Kochanski"}
    sib = {(s["port"], s["service"]) for s in rep["siblings"]}
    assert (3105, "cardbox") in sib


def test_3126_unassigned_modified(full_db):
    rep = report("3126", full_db)
    assert rep["identity"]["status"] == "unassigned"
    rows = rep["records"]
    assert rows and all(r["description"] == "Unassigned" for r in rows)
    assert {r["modified"] for r in rows} == {"2007-10-04"}


def test_3516_smartcard_port(full_db):
    rep = report("3516", full_db)
    assert services(rep) == {("smartcard-port", "tcp"), ("smartcard-port", "udp")}
    assert people_names(rep, "assignee") == {"Scott Guthery"}
    assert {r["registered"] for r in rep["records"]} == {"2002-05"}


def test_2906_caller9_contact_resolved_through_people(full_db):
    rep = report("2906", full_db)
    assert {r["description"] for r in rep["records"]} == {"CALLER9"}
    contacts = [p for r in rep["records"] for p in r["contact"]]
    assert {p["name"] for p in contacts} == {"Shams Naqi"}
    assert all(p["email"].endswith("@aol.com") for p in contacts)
    assert all(p["derived"] is False for p in contacts)


def test_text_output_carries_the_same_facts(full_db):
    p = run("3516", db=full_db, check=0)
    assert "smartcard-port" in p.stdout
    assert "Scott Guthery" in p.stdout
    assert "2002-05" in p.stdout
    assert "\033[" not in p.stdout  # not a TTY: no colour


def test_range_lookup_finds_x11(full_db):
    rep = report("6010", full_db)
    x11 = [r for r in rep["records"] if r["service"] == "x11"]
    assert x11 and x11[0]["port_lo"] == 6000 and x11[0]["port_hi"] == 6063


def test_lookup_of_a_range_and_a_name(full_db):
    rep = report("6000-6063", full_db)
    assert any(r["service"] == "x11" for r in rep["records"])
    rep = report("smartcard-port", full_db)
    assert rep["port_lo"] == 3516 and rep["found"]


def test_protocol_filter(full_db):
    rep = report("3516/udp", full_db)
    assert {r["protocol"] for r in rep["records"]} == {"udp"}


def test_deassigned_note_and_unauthorized_use(full_db):
    rep = report("2", full_db)
    assert any("De-assigned on 2025-02-13" in r["notes"] for r in rep["records"])
    rep = report("79", full_db)
    assert any("Unauthorized use" in r["unauthorized"] for r in rep["records"])


def test_references_are_linked(full_db):
    rep = report("143/tcp", full_db)
    refs = {ref["text"]: ref["url"] for r in rep["records"] for ref in r["references"]}
    assert refs["RFC9051"] == "https://www.rfc-editor.org/rfc/rfc9051"


def test_footnote_reference_resolves(full_db):
    rep = report("1021/tcp", full_db)
    notes = [ref.get("footnote") for r in rep["records"] for ref in r["references"]]
    assert any(n and "RFC 3692" in n for n in notes)


def test_range_class_and_ephemeral(full_db):
    low = report("22", full_db)["range"]
    assert low["classes"][0]["name"] == "well-known" and low["privileged"] is True
    reg = report("3516", full_db)["range"]
    assert reg["classes"][0]["name"] == "registered" and reg["privileged"] is False
    lo, hi = map(int, open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
    assert reg["ephemeral"]["lo"] == lo and reg["ephemeral"]["hi"] == hi
    dyn = report("50000", full_db)["range"]
    assert dyn["classes"][0]["name"] == "dynamic"


def test_frequency_in_words_from_nmap(full_db):
    rep = report("80", full_db)
    if rep["frequency"]["open_frequency"] is None:
        pytest.skip("nmap-services is not installed")
    assert rep["frequency"]["words"].startswith("very common")
    nmap = [s for s in rep["sources"] if s["kind"] == "nmap-services"]
    assert nmap


def test_other_databases_names(full_db):
    rep = report("3389", full_db)
    if not any(s["kind"] == "nmap-services" for s in rep["sources"]):
        pytest.skip("nmap-services is not installed")
    assert any(o["service"] == "ms-wbt-server" for o in rep["other_names"])


def test_every_fact_cites_a_listed_source(full_db):
    rep = report("80", full_db)
    ids = {s["id"] for s in rep["sources"]}
    assert all(r["source"] in ids for r in rep["records"])
    assert rep["snapshot"]["registry_as_of"] == "2026-08-17"
    # Whole UTC days since the snapshot, as Python's calendar counts them
    # (the lookup runs within the same second, bar a midnight in between).
    today = datetime.datetime.now(datetime.timezone.utc).date()
    expected = (today - datetime.date(2026, 8, 17)).days
    assert rep["snapshot"]["age_days"] in (expected, expected - 1)


def test_snapshot_age_in_text(full_db):
    p = run("80", db=full_db, check=0)
    assert "days old; refresh with `portolan update`" in p.stdout


def test_multiple_queries_json_is_an_array(full_db):
    p = run("lookup", "22", "80", "--json", db=full_db, check=0)
    arr = json.loads(p.stdout)
    assert [r["port_lo"] for r in arr] == [22, 80]


@pytest.mark.parametrize("bad", ["70000", "65536", "abc!", "-1", "80/xyz", "5-3", ""])
def test_bad_queries_exit_2_with_a_message(full_db, bad):
    p = run("lookup", bad, db=full_db, check=2)
    assert p.stderr.startswith("portolan lookup: ")
    assert p.stdout == ""


def test_unknown_name_is_not_found(full_db):
    p = run("lookup", "no-such-service-xyz", db=full_db, check=1)
    assert "nothing known" in p.stdout


def test_missing_database_says_how_to_build_it(tmp_path):
    p = run("3516", db=tmp_path / "none.db", check=2)
    assert "portolan update" in p.stderr


def test_json_schema_keys(full_db):
    rep = report("3516", full_db)
    assert rep["schema"] == "portolan.report/2"
    for key in ("query", "found", "port_lo", "port_hi", "records", "identity", "range",
                "frequency", "other_names", "siblings", "service_ports", "uses", "history",
                "note", "sources", "snapshot", "lang", "why"):
        assert key in rep, key


def test_report_shows_who_listens_here(full_db):
    import os
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        rep = report(str(port), full_db)
        held = [(l["proto"], l["address"], h["pid"]) for l in rep["listening"]["listeners"]
                for h in l["holders"]]
        assert ("tcp", "127.0.0.1", os.getpid()) in held
        assert "On this machine now" in run(str(port), db=full_db).stdout
        assert "listening" not in report(str(port), full_db, "--no-machine")
    rep = report(str(port), full_db)
    assert rep["listening"]["listeners"] == []


@pytest.mark.parametrize("db_name", ["npm_db", "full_db"])
def test_multi_line_descriptions_stay_on_their_line(db_name, request):
    # IANA writes whoispp's description over three lines; the header and the record
    # row must stay one line each, and the JSON keeps the registry's text as it is.
    # (A terminal wide enough for them: a narrower one folds them, test_width.py.)
    db = request.getfixturevalue(db_name)
    rep = report("63", db)
    assert any("\n" in d for d in rep["identity"]["descriptions"])
    lines = run("63", db=db, check=0, env={"COLUMNS": "1000"}).stdout.splitlines()
    assert lines[0].startswith("63  whoispp") and "replacement for" in lines[0]
    assert lines[1].startswith("  Well-known ports")
    rows = [l for l in lines if l.startswith("  63/tcp  whoispp")]
    assert rows and all("replacement for" in l and l.endswith("[1]") for l in rows)


def test_a_wide_range_header_names_a_few(npm_db):
    lines = run("1-30", db=npm_db, check=0, env={"COLUMNS": "1000"}).stdout.splitlines()
    assert lines[1].startswith("  Well-known ports")  # the header is two lines
    assert " and 6 more - " in lines[0] and lines[0].endswith("more")
