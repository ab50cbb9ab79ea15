"""The concern level (docs/concern.md): you found this port open or in a log,
how worried should you be, and why?

tests/cases/concern.tsv holds what a person should get for each port, written
from what we would tell an administrator; the test checks the default database
against it, then the acceptance cases on every surface: terminal, JSON, page.
"""
import html
import json
import os
import signal
import subprocess
import sys

import pytest

from conftest import ROOT, report, run

CASES = ROOT / "tests" / "cases" / "concern.tsv"


def cases():
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        query, level, code, why = line.split("\t")
        rows.append((query, level, code, why))
    return rows


def test_the_table_is_big_enough():
    rows = cases()
    assert len(rows) >= 40
    queries = {q for q, *_ in rows}
    assert {"3516", "3106", "3126", "2906"} <= queries  # the seed ports
    assert {"31337", "12345", "4444", "50000", "60000", "2375", "5555", "23"} <= queries


def test_golden_table(full_db):
    wrong = []
    for query, level, code, why in cases():
        c = report(query, full_db)["concern"]
        codes = [x["code"] for x in c["codes"]]
        if c["level"] != level or (code == "-" and codes) or (code != "-" and code not in codes):
            wrong.append(f"{query}: want {level} ({code}: {why}), got {c['level']} {codes}")
    assert not wrong, "\n".join(wrong)


def test_every_reason_says_its_level_protocols_and_sources(full_db):
    for query in ("2375", "31337", "3126", "4315", "6667", "49152"):
        c = report(query, full_db)["concern"]
        assert len(c["codes"]) > 0 and all(x["words"] for x in c["codes"])
        levels = ["none", "low", "elevated", "high"]
        assert c["level"] == max((x["level"] for x in c["codes"]), key=levels.index)
        for x in c["codes"]:
            assert x["level"] in levels and isinstance(x["protocols"], list)
            assert all(s.startswith("http") for s in x["sources"])
        assert set(c["by_protocol"]) == {"tcp", "udp"}


def test_3126_is_not_a_worry_on_any_surface(full_db, tmp_path):
    c = report("3126", full_db)["concern"]
    assert c["level"] in ("none", "low") and c["codes"]
    assert c["codes"][0]["who"].startswith("Tom Clancy's Rainbow Six Vegas")
    assert c["codes"][0]["protocols"] == ["udp"]
    out = run("3126", db=full_db, check=0).stdout
    assert ("No particular concern" in out and
            "Rainbow Six Vegas" in out.split("No particular concern")[1])
    page = export_page(full_db, tmp_path, 3126)
    assert 'class="concern concern-none"' in page
    assert "Rainbow Six Vegas" in page.split('class="concern concern-none"')[1]


def test_a_udp_game_range_says_nothing_of_tcp(full_db):
    c = report("3126/tcp", full_db)["concern"]
    assert c["level"] == "none" and c["codes"] == [] and c["by_protocol"] == {"tcp": "none"}
    # The game range itself is still there for UDP.
    assert report("3126/udp", full_db)["concern"]["codes"][0]["protocols"] == ["udp"]


def test_31337_stays_high_and_names_its_source(full_db, tmp_path):
    c = report("31337", full_db)["concern"]
    assert c["level"] == "high" and c["by_protocol"] == {"tcp": "high", "udp": "high"}
    out = run("31337", db=full_db, check=0).stdout
    assert "High concern" in out and "Back Orifice" in out
    assert "trojan_horses.nasl" in out.split("High concern")[1].split("\n\n")[0]


def test_docker_api_is_high_with_its_source_everywhere(full_db, tmp_path):
    c = report("2375", full_db)["concern"]
    assert c["level"] in ("elevated", "high")
    x = next(x for x in c["codes"] if x["code"] == "exposure")
    assert x["sources"] and x["protocols"] == ["tcp"] and "Docker" in x["who"]
    out = run("2375", db=full_db, check=0).stdout
    assert f"{c['level'].capitalize()} concern" in out and x["sources"][0] in out
    page = export_page(full_db, tmp_path, 2375)
    assert f'class="concern concern-{c["level"]}"' in page
    assert html.escape(x["sources"][0]) in page


@pytest.mark.parametrize("port", ["49152", "50000", "55555", "60000", "65535"])
def test_the_roblox_entry_does_not_raise_the_dynamic_range(full_db, port):
    rep = report(port, full_db)
    roblox = [u for u in rep["uses"] if "Roblox" in u["who"]]
    assert roblox and roblox[0]["sources"] in ([], ["none"])  # no public source
    assert rep["concern"]["level"] == "none"


def test_an_unsourced_entry_cannot_raise_but_is_shown(full_db):
    c = report("6667", full_db)["concern"]
    x = next(x for x in c["codes"] if x["code"] == "unsourced")
    assert x["level"] == "none" and x["who"] == "IRC botnets" and c["level"] == "none"


def test_exposure_data_is_checked(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "exposure.txt").write_text(
        "ports: 2375\nproto: tcp\nwho: Docker\nlevel: high\ntext: t\nsource: none\n")
    p = run("check-data", "--data", data, check=2)
    assert "exposure.txt:1: source: an exposure risk raises a concern level" in p.stderr
    c = run("check-data", "--counts", "--json", "--data", ROOT / "data", check=0)
    assert '"exposure": ' in c.stdout


def export_page(db, tmp_path, port):
    out = tmp_path / f"site-{port}"
    run("export", "--lang", "en", "--ports", f"{port}-{port}", str(out), db=db, check=0)
    return (out / "en" / "port" / f"{port}.html").read_text(encoding="utf-8")


BIND_BOTH = r"""
import signal, socket, sys
port = int(sys.argv[1])
t = socket.socket(); u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    t.bind(("127.0.0.1", port)); t.listen(1); u.bind(("127.0.0.1", port))
except OSError:
    print("taken", flush=True); sys.exit(0)
print("ok", flush=True)
signal.pause()
"""


def test_listeners_get_the_concern_of_their_own_protocol(full_db):
    """27444 is Trinoo's UDP port: a UDP socket there is high, a TCP one is not,
    and who/listening use the report's computation for each."""
    for proto, want in (("udp", "high"), ("tcp", "none")):
        assert report(f"27444/{proto}", full_db)["concern"]["level"] == want
    proc = subprocess.Popen([sys.executable, "-c", BIND_BOTH, "27444"], stdout=subprocess.PIPE,
                            text=True)
    try:
        if proc.stdout.readline().strip() != "ok":
            pytest.skip("port 27444 is taken")
        doc = json.loads(run("who", "27444", "--json", db=full_db, check=0).stdout)
        by = {l["proto"]: l for l in doc["listeners"]}
        assert by["udp"]["registry"]["concern"]["level"] == "high"
        assert by["udp"]["registry"]["concern"]["codes"][0] == "malware"
        assert "malware" in by["udp"]["flags"]
        assert by["tcp"]["registry"]["concern"]["level"] == "none"
        assert "malware" not in by["tcp"]["flags"]
        lines = run("listening", "--port", "27444", db=full_db, check=0).stdout.splitlines()
        assert any(l.startswith("udp ") and "!malware" in l and "concern:high" in l
                   for l in lines)
        assert any(l.startswith("tcp ") and "!malware" not in l and "concern:" not in l
                   for l in lines)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
