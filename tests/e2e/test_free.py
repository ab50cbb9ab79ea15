"""`portolan free`: ports a new service can take.

A small registry built by `portolan update` pins the rules down exactly;
on the real registry every port offered is checked against the port
report of that port, which computes the same facts by another path, and
sockets this test binds must drop out of the answer.
"""
import json
import socket

import pytest

from conftest import report, run

XML = """<?xml version='1.0' encoding='UTF-8'?>
<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">
  <title>Service Name and Transport Protocol Port Number Registry</title>
  <updated>2026-01-01</updated>
  <record><name>alpha</name><protocol>tcp</protocol><number>5000</number>
    <description>Alpha</description></record>
  <record><protocol>tcp</protocol><number>5001-5003</number>
    <description>Unassigned</description></record>
  <record><protocol>tcp</protocol><number>5004</number>
    <description>Reserved</description></record>
  <record><protocol>udp</protocol><number>5005</number>
    <description>De-registered</description></record>
  <record><protocol>tcp</protocol><number>5006-5020</number>
    <description>Unassigned</description></record>
</registry>
"""
# 5002 is named by "another database"; 5000, 5004 and 5005 by the registry.
NMAP = "beta\t5002/udp\t0.000100\t# a name IANA does not list\n"
QUIET = [5001, 5003] + list(range(5006, 5021))


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    d = tmp_path_factory.mktemp("free")
    (d / "r.xml").write_text(XML)
    (d / "nmap-services").write_text(NMAP)
    db = d / "portolan.db"
    # --no-system drops /etc/services (an empty file named instead is refused).
    run("update", "--from", d / "r.xml", "--no-system", "--nmap-services", d / "nmap-services",
        "--no-data", "--quiet", db=db, check=0)
    return db


def free(db, *args, check=0):
    p = run("free", "--json", *args, db=db, check=check)
    return json.loads(p.stdout)


def ports(doc):
    return [p["port"] for p in doc["ports"]]


def test_rules_on_a_small_registry(small_db):
    doc = free(small_db, "--range", "5000-5020", "--no-machine", "--count", "100")
    assert doc["schema"] == "portolan.free/1"
    assert doc["range"] == {"lo": 5000, "hi": 5020}
    assert doc["considered"] == 21 and doc["qualifying"] == len(QUIET)
    assert doc["excluded"] == {"assigned": 1, "reserved": 2, "other_databases": 1, "curated": 0,
                               "ephemeral": 0, "bound_here": 0}
    assert doc["machine_checked"] is False and doc["machine_error"] is None
    # The middle of each quiet stretch, the longest first.
    assert doc["ports"] == [{"port": 5013, "stretch_lo": 5006, "stretch_hi": 5020},
                            {"port": 5001, "stretch_lo": 5001, "stretch_hi": 5001},
                            {"port": 5003, "stretch_lo": 5003, "stretch_hi": 5003}]


def test_near_offers_the_closest_first(small_db):
    doc = free(small_db, "--range", "5000-5020", "--no-machine", "--near", "5004", "--count", "4")
    assert ports(doc) == [5003, 5006, 5001, 5007]
    assert doc["near"] == 5004


def test_nothing_qualifies_exits_1(small_db):
    doc = free(small_db, "--range", "5000-5000", "--no-machine", check=1)
    assert doc["ports"] == [] and doc["qualifying"] == 0
    p = run("free", "--range", "5004-5005", "--no-machine", db=small_db, check=1)
    assert "no port in this range qualifies" in p.stdout


def test_bound_ports_drop_out(small_db):
    # One TCP listener and one bound UDP socket on quiet ports.
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.close()
    held = []
    for port, kind in ((5007, socket.SOCK_STREAM), (5010, socket.SOCK_DGRAM)):
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            s.close()
            pytest.skip(f"port {port} is taken on this machine")
        if kind == socket.SOCK_STREAM:
            s.listen()
        held.append(s)
    try:
        doc = free(small_db, "--range", "5006-5020", "--count", "100", "--near", "5006")
        assert doc["machine_checked"] is True
        assert doc["excluded"]["bound_here"] == 2
        assert 5007 not in ports(doc) and 5010 not in ports(doc)
        assert sorted(ports(doc)) == [p for p in QUIET if p >= 5006 and p not in (5007, 5010)]
    finally:
        for s in held:
            s.close()
    doc = free(small_db, "--range", "5006-5020", "--count", "100", "--near", "5006")
    assert 5007 in ports(doc) and 5010 in ports(doc)


def test_text_output(small_db):
    p = run("free", "--range", "5000-5020", "--no-machine", db=small_db, check=0)
    lines = p.stdout.splitlines()
    assert lines[0] == "Quiet ports for a new service, 5000-5020"
    assert lines[1].split()[0] == "5013" and "stretch of 15 quiet ports, 5006-5020" in lines[1]
    assert "a single quiet port" in lines[2]
    assert "17 of 21 ports qualify" in p.stdout
    assert "not checked (--no-machine)" in p.stdout


@pytest.mark.parametrize("args, message", [
    (["--count", "0"], "--count takes 1 to 100"),
    (["--count", "101"], "--count takes 1 to 100"),
    (["--count", "5x"], "--count takes 1 to 100"),
    (["--near", "70000"], "is not a port"),
    (["--near", "abc"], "is not a port"),
    (["--range", "5-1"], "is not LO-HI"),
    (["--range", "0-10"], "is not LO-HI"),
    (["--range", "10"], "is not LO-HI"),
    (["--range", "1-65536"], "is not LO-HI"),
    (["extra"], "unexpected argument"),
])
def test_bad_input(small_db, args, message):
    p = run("free", *args, db=small_db, check=2)
    assert message in p.stderr


def test_every_port_offered_is_quiet_in_its_own_report(full_db):
    doc = free(full_db, "--count", "25")
    eph = doc["ephemeral"]
    assert doc["range"]["hi"] == 49151 and doc["range"]["lo"] >= 1024
    assert len(doc["ports"]) == 25 and doc["qualifying"] >= 25
    for entry in doc["ports"]:
        p = entry["port"]
        assert entry["stretch_lo"] <= p <= entry["stretch_hi"]
        rep = report(str(p), full_db)
        assert rep["identity"]["status"] in ("unassigned", "unlisted"), (p, rep["identity"])
        assert all(r["status"] == "unassigned" for r in rep["records"]), p
        assert rep["other_names"] == [] and rep["uses"] == [] and rep["history"] == [], p
        assert rep["note"] is None, p
        assert not eph["lo"] <= p <= eph["hi"]
        assert rep["listening"]["listeners"] == [], p
    # Longest stretches first.
    widths = [e["stretch_hi"] - e["stretch_lo"] for e in doc["ports"]]
    assert widths == sorted(widths, reverse=True)


def test_the_servers_default_port_is_quiet(full_db):
    # README: serve listens on 6174 because portolan itself calls it quiet.
    doc = free(full_db, "--near", "6174", "--count", "1", "--no-machine")
    assert ports(doc) == [6174]
