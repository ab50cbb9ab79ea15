"""The report's headline: what you will most likely find on a port (data/likely.txt), with
IANA's registration beside it, in the terminal, the JSON report and the web page."""
import re
import shutil

import pytest

from conftest import ROOT, report, run
from test_web import serve  # noqa: F401  (the fixture)

LIKELY = ROOT / "data" / "likely.txt"


def first_line(query, db):
    """The headline as one string: the report's first line and, when the line below
    it gives IANA's registration ("  IANA: ..."), that joined by " · ".  Wide
    COLUMNS keeps long names unfolded; test_width.py checks the folding."""
    p = run(query, "--no-machine", db=db, env={"COLUMNS": "1000"})
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    if lines[1].startswith("  IANA: "):
        return lines[0] + " · " + lines[1].strip()
    return lines[0]


def headline(query, db):
    return report(query, db, "--no-machine")["identity"]["headline"]


def stanzas():
    """(ports, proto, answer) of every stanza in data/likely.txt."""
    out = []
    for block in LIKELY.read_text(encoding="utf-8").split("\n\n"):
        keys = dict(l.split(": ", 1) for l in block.splitlines()
                    if l and not l.startswith("#"))
        if keys:
            out.append((keys["ports"], keys["proto"], keys["answer"]))
    return out


def test_9200_names_elasticsearch_unofficial_beside_iana(full_db):
    line = first_line("9200", full_db)
    assert re.match(r"9200  Elasticsearch REST API \(unofficial\) · IANA: wap-wsp - WAP "
                    r"connectionless session service$", line), line


def test_22_names_ssh_as_official(full_db):
    assert first_line("22", full_db) == "22  ssh - The Secure Shell (SSH) Protocol (official)"
    h = headline("22", full_db)
    assert (h["answer"], h["official"], h["name"], h["iana"]["service"]) == \
        ("official", True, "ssh", "ssh")
    # A service name resolves to its port, and the port's headline.
    assert headline("ssh", full_db)["name"] == "ssh"


def test_27017_is_mongodb(full_db):
    h = headline("27017", full_db)
    assert h["official"] is True and h["name"] == "mongodb"
    assert "mongodb" in first_line("27017", full_db)
    assert "(official)" in first_line("27017", full_db)


@pytest.mark.parametrize("port, names", [
    ("8080", ["Tomcat", "Jenkins", "IANA: http-alt - HTTP Alternate"]),
    ("5000", ["Flask", "IANA: commplex-main"]),
])
def test_mixed_says_no_single_use_dominates(full_db, port, names):
    line = first_line(port, full_db)
    assert line.startswith(f"{port}  no single use dominates: "), line
    for n in names:
        assert n in line, line
    h = headline(port, full_db)
    assert h["answer"] == "mixed" and h["official"] is False


def test_unassigned_and_unlisted_iana_beside(full_db):
    assert first_line("25565", full_db) == \
        "25565  Minecraft Java Edition server (unofficial) · IANA: unassigned"
    assert first_line("51820", full_db) == \
        "51820  WireGuard VPN (unofficial) · IANA: not in the registry"


def test_protocol_picks_the_stanza(full_db):
    # Elasticsearch is a TCP service: 9200/udp keeps IANA's name.
    assert headline("9200/udp", full_db) is None
    assert first_line("9200/udp", full_db).startswith("9200  wap-wsp - ")
    # 51820 answers only for UDP, so a bare query takes the UDP stanza.
    assert headline("51820", full_db)["protocol"] == "udp"


def test_json_headline_carries_its_source(full_db):
    rep = report("9200", full_db, "--no-machine")
    h = rep["identity"]["headline"]
    assert h["name"] == "Elasticsearch REST API" and h["official"] is False
    assert h["iana"] == {"service": "wap-wsp", "description": "WAP connectionless session service",
                         "protocol": "tcp", "status": "assigned"}
    assert h["sources"] and all(u.startswith(("http://", "https://")) for u in h["sources"])
    assert h["file"].endswith("likely.txt") and h["line"] > 0
    cited = {s["id"]: s["kind"] for s in rep["sources"]}
    assert cited[h["source"]] == "curated"
    # A port the curated data does not answer for has none.
    assert report("3516", full_db, "--no-machine")["identity"]["headline"] is None


def test_every_stanza_answers_on_the_default_database(full_db):
    """An official answer needs IANA's service on that protocol; each stanza must head its port."""
    seen = set()
    for ports, proto, answer in stanzas():
        port = ports.split(", ")[0].split("-")[0]
        p = proto.split()[0]
        h = headline(f"{port}/{p}", full_db)
        assert h is not None, (ports, proto)
        assert h["answer"] == answer and h["protocol"] == p
        seen.add(int(port))
    assert len(seen) >= 60


def test_check_data_rejects_two_answers_for_one_port(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    likely = data / "likely.txt"
    text = likely.read_text(encoding="utf-8")
    n = len(text.splitlines())
    likely.write_text(text + "\nports: 9100-9300\nproto: tcp\nanswer: mixed\nname: x, y\n"
                      "text: Two answers for 9200.\nsource: none\n", encoding="utf-8")
    p = run("check-data", "--data", data, check=2)
    first = next(i for i, l in enumerate(text.splitlines(), 1) if l == "ports: 9100")
    assert f"likely.txt:{n + 2}: port 9100/tcp already has a likely answer, on line {first}" \
        in p.stderr, p.stderr


def test_page_title_h1_and_summary_name_the_likely_answer(serve):  # noqa: F811
    s = serve()
    status, _, body = s.get("/port/9200")
    page = body.decode()
    assert status == 200
    assert re.search(r"<title>Port 9200: Elasticsearch REST API \(unofficial\) ", page), page[:600]
    assert '<span class="svc">Elasticsearch REST API</span></h1>' in page
    assert "Most likely: Elasticsearch REST API, an unofficial use." in page
    assert "IANA registers wap-wsp (WAP connectionless session service) here." in page
    _, _, body = s.get("/port/8080")
    assert "<title>Port 8080: no single use dominates " in body.decode()
    _, _, body = s.get("/port/22")
    assert "Most likely: ssh (The Secure Shell (SSH) Protocol), the service IANA registers " \
        "here." in body.decode()
    _, _, body = s.get("/port/9200?lang=de")
    assert "Am wahrscheinlichsten: Elasticsearch REST API, eine inoffizielle Nutzung." \
        in body.decode()


def test_a_range_and_an_empty_iana_description(full_db):
    # 6881-6889: no one registry row covers the range, and 6888 is assigned (muse).
    assert first_line("6881-6889", full_db) == \
        "6881-6889  BitTorrent (unofficial) · IANA: different rows across these ports"
    assert headline("6881-6889", full_db)["iana"]["status"] == "various"
    assert headline("6881", full_db)["iana"]["status"] == "unassigned"
    # IANA gives syslog (514/udp) no description: the headline says ours instead of " -  ".
    h = headline("514", full_db)
    assert h["name"] == "syslog" and h["protocol"] == "udp" and h["description"] == h["text"]
    assert first_line("514", full_db).startswith("514  syslog - Syslog messages ")
