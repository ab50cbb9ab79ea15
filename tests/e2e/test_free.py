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
    # De-registered is a number IANA took back: "released", not "reserved".
    assert doc["excluded"] == {"assigned": 1, "released": 1, "reserved": 1, "unauthorized": 0,
                               "other_databases": 1, "curated": 0, "ephemeral": 0,
                               "bound_here": 0, "claimed": 0}
    assert doc["qualifying"] + sum(doc["excluded"].values()) == doc["considered"]
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
        assert rep["other_names"] == [] and rep["history"] == [], p
        # Only a wide claim with no source may cover a port offered.
        assert all(u["sources"] == [] and u["port_hi"] - u["port_lo"] >= 100
                   for u in rep["uses"]), (p, rep["uses"])
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


# IANA's ways of saying a number is not free although no service holds it,
# and curated claims of three kinds, on 6000-6400.
CLAIMS_XML = """<?xml version='1.0' encoding='UTF-8'?>
<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">
  <title>Service Name and Transport Protocol Port Number Registry</title>
  <updated>2026-01-01</updated>
  <record><number>6000-6010</number><description>Unassigned</description>
    <unauthorized>Known UNAUTHORIZED USE: Ports 6003 and 6004</unauthorized></record>
  <record><number>6011</number><description>Unassigned</description>
    <unauthorized>yes</unauthorized></record>
  <record><number>6012</number><description>Unassigned (FRP-Released 12/7/00)</description></record>
  <record><protocol>tcp</protocol><number>6013</number><description>Unassigned</description>
    <note>(Removed 2004-2-6)</note></record>
  <record><protocol>udp</protocol><number>6013</number><description>Unassigned</description></record>
  <record><number>6014-6400</number><description>Unassigned</description></record>
</registry>
"""
CLAIMS_USES = """ports: 6100-6399
proto: udp
who: A game with no source
category: game
text: Claims three hundred ports on no public evidence.
source: none

ports: 6050
proto: tcp
who: A one-port game with no source
category: game
text: Claims one port on no public evidence.
source: none

ports: 6250-6399
proto: tcp
who: A sourced game
category: game
text: Claims a hundred and fifty ports, with a source.
source: https://example.org/ports
"""


@pytest.fixture(scope="module")
def claims_db(tmp_path_factory):
    d = tmp_path_factory.mktemp("claims")
    (d / "r.xml").write_text(CLAIMS_XML)
    (d / "data" / "unofficial").mkdir(parents=True)
    (d / "data" / "unofficial" / "game.txt").write_text(CLAIMS_USES)
    db = d / "portolan.db"
    run("update", "--from", d / "r.xml", "--no-system", "--data", d / "data", "--quiet",
        db=db, check=0)
    return db


def test_claims_iana_records_without_a_service(claims_db):
    doc = free(claims_db, "--range", "6000-6400", "--no-machine", "--count", "100",
               "--near", "6000")
    left_out = {6003, 6004, 6011, 6012, 6013, 6050} | set(range(6250, 6400))
    assert not left_out & set(ports(doc))
    assert doc["excluded"] == {"assigned": 0, "released": 2, "reserved": 0, "unauthorized": 3,
                               "other_databases": 0, "curated": 151, "ephemeral": 0,
                               "bound_here": 0, "claimed": 0}
    assert doc["considered"] == 401 and doc["qualifying"] == 401 - 3 - 2 - 151
    # The unsourced 6100-6399 claim leaves its ports in, and is counted.
    assert doc["wide_unsourced"] == {"ports": 150, "wider_than": 100}
    doc = free(claims_db, "--range", "6100-6249", "--no-machine")
    assert doc["qualifying"] == 150 and ports(doc) == [6174]
    text = run("free", "--range", "6000-6400", "--no-machine", db=claims_db, check=0).stdout
    assert "245 of 401 ports qualify" in text
    assert "      3  with unauthorized use reported to IANA" in text
    assert "      2  released or withdrawn by IANA" in text
    assert "150 qualifying ports lie under a curated claim wider than 100 ports" in text


@pytest.mark.parametrize("port", [4315, 2194, 2195, 2196, 4490, 4491])
def test_never_offers_a_port_with_unauthorized_use(full_db, port):
    doc = free(full_db, "--range", f"{port}-{port}", "--no-machine", check=1)
    assert doc["ports"] == [] and doc["excluded"]["unauthorized"] == 1


def frp_released_ports():
    import xml.etree.ElementTree as ET
    from conftest import IANA_XML
    ns = {"r": "http://www.iana.org/assignments"}
    found = set()
    for rec in ET.parse(IANA_XML).getroot().iter("{http://www.iana.org/assignments}record"):
        text = " ".join(rec.findtext(k, "", ns) for k in ("r:description", "r:note"))
        number = rec.findtext("r:number", "", ns)
        if "FRP-Released" in text and number:
            lo, _, hi = number.partition("-")
            found.update(range(int(lo), int(hi or lo) + 1))
    return sorted(found)


def test_never_offers_a_released_number(full_db):
    released = frp_released_ports()
    assert released  # 2925 in the vendored registry
    for port in released:
        doc = free(full_db, "--range", f"{port}-{port}", "--no-machine", check=1)
        assert doc["ports"] == [] and doc["qualifying"] == 0, port
    doc = free(full_db, "--no-machine")
    assert doc["excluded"]["released"] >= len(released)


@pytest.mark.parametrize("args", [[], ["--no-machine"], ["--range", "49152-65535"],
                                  ["--range", "1-65535", "--no-machine"]])
def test_the_counts_add_up(full_db, args):
    doc = free(full_db, *args)
    assert doc["qualifying"] + sum(doc["excluded"].values()) == doc["considered"]


def test_the_dynamic_range_is_not_emptied_by_one_unsourced_claim(full_db):
    doc = free(full_db, "--range", "49152-65535", "--no-machine", "--count", "5")
    eph = doc["ephemeral"]
    if eph["lo"] <= 49152 and eph["hi"] >= 65535:
        pytest.skip("this machine's ephemeral range is the whole dynamic range")
    assert len(doc["ports"]) == 5
    assert doc["wide_unsourced"]["ports"] > 0
    for entry in doc["ports"]:
        assert not eph["lo"] <= entry["port"] <= eph["hi"]
