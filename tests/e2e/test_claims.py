"""`portolan claim`: an organisation's own ports, with collision checks.

Every test that touches the store runs twice, against a SQLite file and
against a real PostgreSQL (conftest.py's claims_store: one cluster per
session, a database per test), so the two backends keep one behaviour.
The evidence a collision shows is checked against the registry itself,
read here with SQL, not against strings the code merely echoes.
"""
import json
import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time

import pytest

from conftest import run


def claim(store, db, *args, check=None, input=None):
    return run("claim", *args, "--store", store, db=db, check=check, input=input)


def listed(store, db):
    p = claim(store, db, "list", "--json")
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)["claims"]


def ephemeral():
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        lo, hi = map(int, f.read().split())
    return lo, hi


def login_user():
    try:
        return os.getlogin()
    except OSError:
        return pwd.getpwuid(os.geteuid()).pw_name


def quiet_ports(db, n):
    """Ports below the ephemeral range no IANA assignment, other database or curated use names."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "WITH RECURSIVE p(n) AS (SELECT 5000 UNION ALL SELECT n + 1 FROM p WHERE n < 32000)"
        " SELECT n FROM p WHERE NOT EXISTS (SELECT 1 FROM record r WHERE r.port_lo <= n"
        " AND r.port_hi >= n AND r.service <> '')"
        " AND NOT EXISTS (SELECT 1 FROM alias a WHERE a.port = n)"
        " AND NOT EXISTS (SELECT 1 FROM use u WHERE u.port_lo <= n AND u.port_hi >= n)"
        " LIMIT ?", (n,)).fetchall()
    con.close()
    return [r[0] for r in rows]


def test_add_records_who_and_when_and_shows(claims_store, full_db):
    port = quiet_ports(full_db, 1)[0]
    p = claim(claims_store, full_db, "add", f"{port}/tcp", "billing-api", "--owner", "payments",
              "--contact", "pay@example.org", "--note", "the invoices API", check=0)
    assert "claimed" in p.stdout and "billing-api" in p.stdout
    (c,) = listed(claims_store, full_db)
    assert (c["port_lo"], c["protocols"], c["service"], c["owner"], c["contact"], c["hosts"]) == \
        (port, "tcp", "billing-api", "payments", "pay@example.org", "*")
    assert c["by"] == login_user() and c["at"].endswith("Z") and c["acknowledged"] == []
    assert claim(claims_store, full_db, "show", str(port)).returncode == 0
    assert claim(claims_store, full_db, "show", str(port + 1)).returncode == 1
    assert claim(claims_store, full_db, "list", "--owner", "nobody-here").returncode == 1


def test_another_claim_on_the_same_ports_is_refused(claims_store, full_db):
    a, b = quiet_ports(full_db, 2)
    claim(claims_store, full_db, "add", f"{a}/tcp", "one", "--owner", "t1", "--hosts", "web-*",
          check=0)
    # Same port, protocol and hosts: refused, naming the claim that holds it.
    p = claim(claims_store, full_db, "add", f"{a}/tcp", "two", "--owner", "t2", "--hosts",
              "web-3", "--force", check=2)
    assert "refused (claimed)" in p.stderr and "one" in p.stderr and "t1" in p.stderr
    # A range over it: refused too.
    claim(claims_store, full_db, "add", f"{a - 1}-{a + 1}/tcp,udp", "three", "--owner", "t3",
          "--force", check=2)
    # Other hosts, or the other protocol: no collision.
    claim(claims_store, full_db, "add", f"{a}/tcp", "four", "--owner", "t4", "--hosts", "db-*",
          check=0)
    claim(claims_store, full_db, "add", f"{a}/udp", "five", "--owner", "t5", check=0)
    assert {c["service"] for c in listed(claims_store, full_db)} == {"one", "four", "five"}
    assert b not in {c["port_lo"] for c in listed(claims_store, full_db)}


def test_ephemeral_range_is_refused_even_with_force(claims_store, full_db):
    lo, hi = ephemeral()
    p = claim(claims_store, full_db, "add", str(lo + 7), "x", "--owner", "t", "--force", check=2)
    assert f"ephemeral range {lo}-{hi}" in p.stderr
    assert listed(claims_store, full_db) == []


def test_iana_assignment_warns_and_force_acknowledges(claims_store, full_db):
    con = sqlite3.connect(f"file:{full_db}?mode=ro", uri=True)
    svc, desc = con.execute("SELECT service, description FROM record WHERE port_lo = 8080"
                            " AND protocol = 'tcp'").fetchone()
    p = claim(claims_store, full_db, "add", "8080", "shop-web", "--owner", "web", check=1)
    assert f"warning (iana): IANA assigns 8080/tcp to {svc} ({desc})" in p.stderr
    assert "--force" in p.stderr and listed(claims_store, full_db) == []
    p = claim(claims_store, full_db, "add", "8080", "shop-web", "--owner", "web", "--force",
              "--json", check=0)
    doc = json.loads(p.stdout)
    assert doc["stored"] and "iana" in doc["claim"]["acknowledged"]
    assert "iana" in listed(claims_store, full_db)[0]["acknowledged"]


def test_iana_own_service_is_no_collision(claims_store, full_db):
    p = claim(claims_store, full_db, "add", "8080", "http-alt", "--owner", "web", "--json")
    assert "iana" not in {f["code"] for f in json.loads(p.stdout)["findings"]}


def test_malware_and_curated_uses_warn(claims_store, full_db):
    p = claim(claims_store, full_db, "add", "31337/tcp", "elite", "--owner", "t", "--json",
              check=1)
    found = {f["code"]: f["evidence"] for f in json.loads(p.stdout)["findings"]}
    assert "Back Orifice" in found["malware"]
    p = claim(claims_store, full_db, "add", "8443/tcp", "shop", "--owner", "t", check=1)
    assert "warning (curated-use): Apache Tomcat" in p.stderr


def test_other_database_name_warns(claims_store, full_db):
    con = sqlite3.connect(f"file:{full_db}?mode=ro", uri=True)
    port, name = con.execute(
        "SELECT a.port, a.service FROM alias a WHERE a.port BETWEEN 1024 AND 30000"
        " AND a.protocol = 'tcp' AND NOT EXISTS (SELECT 1 FROM record r WHERE r.port_lo <= a.port"
        " AND r.port_hi >= a.port AND r.service <> '') LIMIT 1").fetchone()
    p = claim(claims_store, full_db, "add", f"{port}/tcp", "ours", "--owner", "t", check=1)
    assert f"warning (other-database):" in p.stderr and f"{port}/tcp {name}" in p.stderr


def test_live_listener_that_is_not_the_service_warns(claims_store, full_db):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    port = s.getsockname()[1]
    try:
        p = claim(claims_store, full_db, "add", f"{port}/tcp", "not-python", "--owner", "t",
                  "--json")
        ev = [f["evidence"] for f in json.loads(p.stdout)["findings"] if f["code"] == "listening"]
        assert ev and f"127.0.0.1:{port}" in ev[0] and "python" in ev[0]
    finally:
        s.close()


def test_suggest_claims_a_free_port_and_skips_claimed_ones(claims_store, full_db):
    got = []
    for svc in ("a-svc", "b-svc"):
        p = claim(claims_store, full_db, "add", "--suggest", svc, "--owner", "t", "--near",
                  "20000", "--json", check=0)
        got.append(json.loads(p.stdout)["claim"]["port_lo"])
    assert got[0] != got[1]
    assert {c["port_lo"] for c in listed(claims_store, full_db)} == set(got)
    # free never offers them.
    p = run("free", "--near", "20000", "--count", "20", "--json", "--store", claims_store,
            db=full_db, check=0)
    doc = json.loads(p.stdout)
    assert not set(got) & {x["port"] for x in doc["ports"]}
    assert doc["excluded"]["claimed"] >= 2


EXPORTED = """# portolan claims/1 (PORT[-HI][/PROTO] SERVICE key=value ...; see `portolan claim --help`)
{a}/tcp{pad}billing-api owner=payments contact=pay@example.org hosts=web-* by=alice at=2026-01-02T03:04:05Z
{b}-{b2}/tcp,udp metrics owner=sre note="one per shard, \\"hot\\"" by=bob at=2026-01-02T03:04:06Z ack=iana
"""


def test_import_export_round_trip_and_idempotence(claims_store, full_db, tmp_path):
    a, b = quiet_ports(full_db, 2)[0], quiet_ports(full_db, 40)[-1] - 3
    text = EXPORTED.format(a=a, b=b, b2=b + 2, pad=" " * (15 - len(f"{a}/tcp")))
    f = tmp_path / "claims.txt"
    f.write_text(text)
    p = claim(claims_store, full_db, "import", f, check=0)
    assert p.stdout.strip() == "2 added, 0 updated, 0 unchanged, 0 removed"
    assert claim(claims_store, full_db, "export", check=0).stdout == text
    p = claim(claims_store, full_db, "import", f, check=0)
    assert p.stdout.strip() == "0 added, 0 updated, 2 unchanged, 0 removed"
    assert claim(claims_store, full_db, "export", check=0).stdout == text
    # --replace removes what the file lacks; one line changed is one update.
    f.write_text(text.splitlines()[0] + "\n" + text.splitlines()[1].replace("payments", "pay2"))
    p = claim(claims_store, full_db, "import", f, "--replace", check=0)
    assert p.stdout.strip() == "0 added, 1 updated, 0 unchanged, 1 removed"
    assert [c["owner"] for c in listed(claims_store, full_db)] == ["pay2"]


def test_import_is_atomic(claims_store, full_db, tmp_path):
    a, b = quiet_ports(full_db, 2)
    claim(claims_store, full_db, "add", f"{a}/tcp", "held", "--owner", "t", check=0)
    f = tmp_path / "c.txt"
    # The first line is fine, the second overlaps the stored claim: nothing is stored.
    f.write_text(f"{b}/tcp fine owner=x\n{a - 1}-{a + 1}/tcp clash owner=y\n")
    p = claim(claims_store, full_db, "import", f, check=2)
    assert "held" in p.stderr
    assert [c["service"] for c in listed(claims_store, full_db)] == ["held"]


@pytest.mark.parametrize("line, where", [
    ("80/xyz svc owner=t", "protocol"),
    ("80 svc", ""),  # passes the parser, fails validation: owner
    ("70000 svc owner=t", "1-65535"),
    ("80 svc owner=t colour=red", "no such field"),
    ('80 svc owner=t note="unclosed', "quote"),
    ("80 svc owner=t\n80 svc2 owner=u", "overlaps"),
])
def test_import_refuses_bad_lines_naming_them(tmp_path, full_db, line, where):
    f = tmp_path / "c.txt"
    f.write_text("# header\n" + line + "\n")
    p = claim(f"sqlite:{tmp_path / 's.db'}", full_db, "import", f, check=2)
    assert f"{f}:" in p.stderr and where in p.stderr


def test_rm(claims_store, full_db):
    a, b = quiet_ports(full_db, 2)
    claim(claims_store, full_db, "add", f"{a}/tcp", "one", "--owner", "t", check=0)
    claim(claims_store, full_db, "add", f"{a}/udp", "two", "--owner", "t", check=0)
    assert claim(claims_store, full_db, "rm", f"{a}/udp", check=0).stdout.strip() == \
        "removed 1 claim"
    assert [c["service"] for c in listed(claims_store, full_db)] == ["one"]
    claim(claims_store, full_db, "rm", str(b), check=1)


def test_default_store_is_beside_the_database_not_in_it(tmp_path, full_db):
    import shutil
    db = tmp_path / "p.db"
    shutil.copy(full_db, db)
    before = db.read_bytes()
    port = quiet_ports(full_db, 1)[0]
    run("claim", "add", str(port), "svc", "--owner", "t", db=db, env={"PORTOLAN_STORE": ""},
        check=0)
    assert (tmp_path / "p.db.claims").exists() and db.read_bytes() == before


def test_bad_store_url_is_an_input_error(full_db):
    p = run("claim", "list", "--store", "mysql://x/y", db=full_db, check=2)
    assert "not a store" in p.stderr


AUDIT_HELPER = """
import json, socket, subprocess, sys
port, args = int(sys.argv[1]), sys.argv[2:]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.listen()
p = subprocess.run(args, capture_output=True, text=True)
print(json.dumps([p.returncode, p.stdout, p.stderr]))
"""


def audit_in_netns(port, store, db, *extra):
    """`audit --claims` in a network namespace of its own where only port listens."""
    import shutil
    import subprocess
    import sys
    from conftest import BIN
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare(1) for a network namespace of its own")
    p = subprocess.run(["unshare", "--net", sys.executable, "-c", AUDIT_HELPER, str(port), BIN,
                        "audit", "--claims", "--store", store, "--db", str(db), *extra],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        pytest.skip(f"unshare --net does not work here: {p.stderr[-300:]}")
    return json.loads(p.stdout)


def test_audit_claims_expects_exactly_the_claimed_listeners(claims_store, full_db):
    a, b = quiet_ports(full_db, 2)
    host = socket.gethostname()
    # Nothing claimed: the listener is unclaimed, exit 1.
    rc, out, _ = audit_in_netns(a, claims_store, full_db, "--json")
    doc = json.loads(out)
    assert rc == 1 and not doc["clean"] and [l["port"] for l in doc["added"]] == [a]
    # Claimed for another host only: still unclaimed here.
    claim(claims_store, full_db, "add", f"{a}/tcp", "svc", "--owner", "t", "--hosts",
          "no-such-host-*", check=0)
    assert audit_in_netns(a, claims_store, full_db)[0] == 1
    # Claimed for this host (by pattern): clean, exit 0.
    claim(claims_store, full_db, "add", f"{a}/tcp", "svc", "--owner", "t", "--hosts",
          host[:1] + "*", check=0)
    rc, out, err = audit_in_netns(a, claims_store, full_db)
    assert (rc, out) == (0, ""), err
    # A claim nothing listens on: claimed but absent, exit 1, with service and owner.
    claim(claims_store, full_db, "add", f"{b}/tcp", "billing", "--owner", "payments", check=0)
    rc, out, _ = audit_in_netns(a, claims_store, full_db)
    assert rc == 1 and out == f"- {b}/tcp billing (owner payments): claimed, nothing listens\n"
    rc, out, _ = audit_in_netns(a, claims_store, full_db, "--json")
    doc = json.loads(out)
    assert doc["added"] == [] and [(m["port_lo"], m["service"]) for m in doc["missing"]] == \
        [(b, "billing")]


def test_audit_claims_usage(full_db):
    p = run("audit", "--claims", "--expect", "x", db=full_db, check=2)
    assert "exactly one of" in p.stderr


def test_lookup_shows_the_claim(claims_store, full_db):
    port = quiet_ports(full_db, 1)[0]
    claim(claims_store, full_db, "add", f"{port}/tcp", "billing-api", "--owner", "payments",
          "--contact", "pay@example.org", check=0)
    rep = json.loads(run("lookup", str(port), "--json", "--store", claims_store, db=full_db,
                         check=0).stdout)
    assert [(c["service"], c["owner"], c["contact"]) for c in rep["claims"]] == \
        [("billing-api", "payments", "pay@example.org")]
    text = run("lookup", str(port), "--store", claims_store, db=full_db, check=0).stdout
    assert "Claimed in this organisation" in text and " billing-api " in text
    # The claim's facts as labelled lines, like the registry block's.
    lines = [line.split() for line in text.splitlines()]
    assert ["Owner", "payments"] in lines and ["Contact", "pay@example.org"] in lines, text
    other = run("lookup", str(port + 1), "--store", claims_store, db=full_db).stdout
    assert "Claimed in this organisation" not in other


def test_servers_on_one_store_show_claims_read_only(claims_store, full_db, tmp_path):
    from test_web import Server
    a, b = quiet_ports(full_db, 2)
    claim(claims_store, full_db, "add", f"{a}/tcp", "billing-api", "--owner", "payments",
          "--hosts", "web-*", check=0)
    servers = [Server(full_db, tmp_path / f"v{i}.db", "--store", claims_store) for i in (0, 1)]
    try:
        # A claim made after both started shows on both within the cache's second.
        claim(claims_store, full_db, "add", f"{b}/tcp", "metrics", "--owner", "sre", check=0)
        time.sleep(1.2)
        for s in servers:
            status, _, body = s.get("/claims")
            page = body.decode()
            assert status == 200 and "billing-api" in page and "payments" in page
            assert "metrics" in page and "web-*" in page
            status, _, body = s.get("/api/v1/claims")
            assert {c["service"] for c in json.loads(body)["claims"]} == {"billing-api",
                                                                           "metrics"}
            status, _, body = s.get(f"/port/{a}")
            assert status == 200 and 'id="claims"' in body.decode()
            assert "billing-api" in body.decode()
            status, _, body = s.get(f"/api/v1/ports/{b}")
            assert [c["owner"] for c in json.loads(body)["claims"]] == ["sre"]
            status, _, body = s.get(f"/api/v1/free?near={b}&count=10")
            assert b not in {p["port"] for p in json.loads(body)["ports"]}
            # Read-only: the site takes no claims.
            assert s.request("POST", "/claims", body="x")[0] == 405
        status, _, body = servers[0].get("/claims?lang=de")
        assert "Beansprucht in dieser Organisation" in body.decode()
    finally:
        for s in servers:
            s.kill()


def test_a_cached_port_page_shows_a_claim_made_after_it(claims_store, full_db, tmp_path):
    """The server caches port pages; a claim added or removed later must show on the
    next request after the claims' refresh second, not when the cached copy expires."""
    from test_web import Server
    other, port = quiet_ports(full_db, 2)
    # The store exists before the server starts: it opens it before dropping privileges.
    claim(claims_store, full_db, "add", f"{other}/tcp", "warmup", "--owner", "sre", check=0)
    s = Server(full_db, tmp_path / "v.db", "--store", claims_store)
    try:
        for _ in range(2):  # the second answer comes from the server's cache
            status, _, body = s.get(f"/port/{port}")
            assert status == 200 and 'id="claims"' not in body.decode()
        claim(claims_store, full_db, "add", f"{port}/tcp", "ledger-sync", "--owner", "finance",
              check=0)
        time.sleep(1.2)
        page = s.get(f"/port/{port}")[2].decode()
        assert 'id="claims"' in page and "ledger-sync" in page and "finance" in page
        api = json.loads(s.get(f"/api/v1/ports/{port}")[2])
        assert [c["service"] for c in api["claims"]] == ["ledger-sync"]
        claim(claims_store, full_db, "rm", f"{port}/tcp", check=0)
        time.sleep(1.2)
        page = s.get(f"/port/{port}")[2].decode()
        assert 'id="claims"' not in page and "ledger-sync" not in page
    finally:
        s.kill()


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv(1) to read as another user")
def test_a_reader_without_write_access_sees_the_claims(full_db):
    """Claims are written by whoever administers them and read by every user's lookup:
    a reader who may not write beside the store (no -wal/-shm of its own) still sees them."""
    from conftest import BIN
    d = tempfile.mkdtemp(prefix="portolan-claims-ro-", dir="/tmp")
    try:
        os.chmod(d, 0o755)
        db, store = os.path.join(d, "p.db"), "sqlite:" + os.path.join(d, "claims.db")
        shutil.copy(full_db, db)
        os.chmod(db, 0o644)
        port = quiet_ports(full_db, 1)[0]
        claim(store, db, "add", f"{port}/tcp", "ledger-sync", "--owner", "finance", check=0)
        p = subprocess.run(["setpriv", "--reuid", "nobody", "--regid", "nogroup",
                            "--clear-groups", BIN, str(port), "--json", "--no-machine",
                            "--store", store, "--db", db],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, NO_COLOR="1"))
        assert p.returncode == 0, p.stderr
        assert p.stderr == ""
        assert [c["service"] for c in json.loads(p.stdout)["claims"]] == ["ledger-sync"]
    finally:
        shutil.rmtree(d)


def test_claims_page_when_there_are_none(full_db, tmp_path):
    from test_web import Server
    s = Server(full_db, tmp_path / "v.db", "--store", f"sqlite:{tmp_path / 'none.db'}")
    try:
        status, _, body = s.get("/claims")
        assert status == 200 and "No port is claimed in this organisation yet." in body.decode()
        assert 'id="claims"' not in s.get("/port/3516")[2].decode()
    finally:
        s.kill()


def test_postgresql_restart_is_retried_and_reported(pg_cluster, full_db):
    """A claim made while PostgreSQL is down waits for it, saying so, and is stored once."""
    import subprocess
    from conftest import BIN
    url = pg_cluster.new_database()
    a, b = quiet_ports(full_db, 2)
    claim(url, full_db, "add", f"{a}/tcp", "before", "--owner", "t", check=0)
    pg_cluster.stop()
    try:
        env = dict(os.environ, NO_COLOR="1")
        p = subprocess.Popen([BIN, "claim", "add", f"{b}/tcp", "during", "--owner", "t",
                              "--store", url, "--db", str(full_db)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        time.sleep(0.6)
        assert p.poll() is None  # still waiting for the server, not crashed
    finally:
        pg_cluster.start()
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert "connection lost" in err and "retry 1 in 100 ms" in err
    assert [c["service"] for c in listed(url, full_db)] == ["before", "during"]


def test_postgresql_unreachable_fails_cleanly(tmp_path, full_db):
    url = f"postgresql:///nothing?host={tmp_path}&user=portolan"
    p = run("claim", "list", "--store", url, db=full_db, check=3)
    assert "gave up after" in p.stderr or "PostgreSQL" in p.stderr
    assert p.stderr.count("retry") == 5
    # A lookup still answers, without the claims, and says why.
    p = run("lookup", "3516", "--store", url, db=full_db, check=0)
    assert "3516" in p.stdout and "claims are not shown" in p.stderr


def test_postgresql_schema_is_versioned(pg_cluster, full_db):
    url = pg_cluster.new_database()
    claim(url, full_db, "list")
    db = url.split("///")[1].split("?")[0]
    assert pg_cluster.sql("SELECT version FROM portolan_schema", db=db).strip() == "2"
    # A database from a newer portolan is refused, not misread.
    pg_cluster.sql("UPDATE portolan_schema SET version = 99", db=db)
    p = claim(url, full_db, "list", check=3)
    assert "newer than this portolan" in p.stderr


def test_racing_adds_of_one_port_store_exactly_one(claims_store, full_db):
    """Eight hosts claim one port at once: the write lock lets exactly one win."""
    import subprocess
    from conftest import BIN
    port = quiet_ports(full_db, 1)[0]
    env = dict(os.environ, NO_COLOR="1")
    procs = [subprocess.Popen([BIN, "claim", "add", f"{port}/tcp", f"svc{i}", "--owner", f"t{i}",
                               "--store", claims_store, "--db", str(full_db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for i in range(8)]
    codes = sorted(p.wait(timeout=60) for p in procs)
    for p in procs:
        p.communicate()
    assert codes == [0] + [2] * 7
    assert len(listed(claims_store, full_db)) == 1


def test_server_keeps_serving_claims_while_postgresql_is_down(pg_cluster, full_db, tmp_path):
    from test_web import Server
    url = pg_cluster.new_database()
    port = quiet_ports(full_db, 1)[0]
    claim(url, full_db, "add", f"{port}/tcp", "billing-api", "--owner", "payments", check=0)
    s = Server(full_db, tmp_path / "v.db", "--store", url)
    try:
        pg_cluster.stop()
        try:
            time.sleep(1.1)  # past the cache's second: the next request tries the store
            t0 = time.monotonic()
            status, _, body = s.get("/api/v1/claims")
            doc = json.loads(body)
            assert status == 200 and [c["service"] for c in doc["claims"]] == ["billing-api"]
            assert time.monotonic() - t0 < 1.0  # one attempt, no retries held the page up
            time.sleep(0.1)
            doc = json.loads(s.get("/api/v1/claims")[2])
            assert doc["stale"] is True and doc["claims"]
            assert s.get(f"/port/{port}")[0] == 200
        finally:
            pg_cluster.start()
        time.sleep(1.1)
        s.get("/api/v1/claims")  # this refresh reconnects
        time.sleep(0.2)
        assert json.loads(s.get("/api/v1/claims")[2])["stale"] is False
    finally:
        s.kill()
