"""End-to-end tests of `portolan serve`: the real server on a loopback port,
a database built from the vendored IANA XML, every route, the errors, the
headers, caching and compression, and the vote's promise that every 2xx
answer is in the database, also across kill -9.

Each test starts its own server (port 0: the kernel picks a free one; the
server prints the URL) and the fixture kills it whatever happens.
"""
import gzip
import http.client
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.parse

import pytest

from conftest import BIN, ROOT, report, run

DEFAULT_PORT = 6174
JSON_ACCEPT = {"Accept": "application/json"}


class Server:
    """One `portolan serve` process; stop() is SIGTERM, kill() is SIGKILL."""

    def __init__(self, db, votes, *extra):
        env = dict(os.environ, NO_COLOR="1")
        env.pop("PORTOLAN_DB", None)
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", str(db), "--votes", str(votes), "--listen", "127.0.0.1:0",
             *map(str, extra)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            self.proc.kill()
            raise AssertionError(f"server did not start: {line!r} {self.proc.stderr.read()!r}")
        url = urllib.parse.urlsplit(line.split("listening on ", 1)[1].strip())
        self.host, self.port = url.hostname, url.port
        self.votes = votes

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def origin(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def vote(self, page, answer, lang="en", headers=None, fields=None):
        """A vote as a browser on this site sends it (Origin: this server), unless headers
        say otherwise."""
        body = urllib.parse.urlencode({"page": page, "answer": answer, "lang": lang,
                                       **(fields or {})})
        h = {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin(),
             **(headers or {})}
        h = {k: v for k, v in h.items() if v is not None}
        return self.request("POST", "/vote", body=body, headers=h)

    def stop(self, timeout=30):
        self.proc.send_signal(signal.SIGTERM)
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, err

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate(timeout=30)


@pytest.fixture
def serve(full_db, tmp_path):
    """A factory: serve(*extra) starts a server on full_db; all are killed afterwards."""
    started = []

    def start(*extra, votes=None):
        s = Server(full_db, votes or tmp_path / f"votes{len(started)}.db", *extra)
        started.append(s)
        return s

    yield start
    for s in started:
        s.kill()


def votes_in(path):
    db = sqlite3.connect(str(path))
    try:
        return db.execute("SELECT page, lang, answer, day FROM vote ORDER BY page").fetchall()
    finally:
        db.close()


# ---- the default port ------------------------------------------------------------------

def test_default_port_is_unassigned_and_quiet(full_db):
    rep = report(str(DEFAULT_PORT), full_db)
    assert rep["identity"]["status"] == "unassigned"
    assert all(r["description"] == "Unassigned" for r in rep["records"])
    assert rep["frequency"]["open_frequency"] is None
    assert rep["uses"] == [] and rep["history"] == [] and rep["note"] is None
    assert rep["other_names"] == []
    eph = rep["range"]["ephemeral"]
    assert not eph["lo"] <= DEFAULT_PORT <= eph["hi"]
    assert f"127.0.0.1:{DEFAULT_PORT}" in run("serve", "--help", check=0).stdout


# ---- routes -----------------------------------------------------------------------------

@pytest.mark.parametrize("path,ctype", [
    ("/", "text/html"),
    ("/port/3516", "text/html"),
    ("/port/3516/udp", "text/html"),
    ("/port/0", "text/html"),
    ("/port/65535", "text/html"),
    ("/search?q=smartcard", "text/html"),
    ("/range/well-known", "text/html"),
    ("/range/registered", "text/html"),
    ("/range/dynamic", "text/html"),
    ("/service/smartcard-port", "text/html"),
    ("/api/v1/ports/3516", "application/json"),
    ("/api/v1/search?q=smartcard", "application/json"),
    ("/healthz", "text/plain"),
    ("/metrics", "text/plain"),
])
def test_every_route_answers(serve, path, ctype):
    s = serve()
    status, h, body = s.get(path)
    assert status == 200, (path, body[:300])
    assert h["content-type"].startswith(ctype)
    assert body
    if ctype == "text/html":
        assert b"<html" in body and b'lang="en"' in body


def test_api_port_is_the_lookup_report(serve, full_db):
    def without_volatile(rep):
        for volatile in ("listening", "sources", "snapshot"):
            rep.pop(volatile, None)
        return json.loads(json.dumps(rep).replace(json.dumps(str(ROOT / "data"))[1:-1], "data"))

    cli = without_volatile(report("3516", full_db))
    assert without_volatile(json.loads(serve().get("/api/v1/ports/3516")[2])) == cli
    # Where this machine is not shown, Linux's defaults stand in for its settings, and say so.
    api = without_volatile(json.loads(serve("--hide-machine").get("/api/v1/ports/3516")[2]))
    assert api["range"]["this_machine"] is False and cli["range"]["this_machine"] is True
    assert api["range"]["unprivileged_start"] == 1024
    assert api["range"]["ephemeral"] == {"lo": 32768, "hi": 60999, "overlaps": False,
                                         "source": "Linux default"}
    assert api["range"]["classes"] == cli["range"]["classes"]
    api.pop("range")
    cli.pop("range")
    assert api == cli


def test_api_search_ranks_the_name(serve):
    s = serve()
    status, _, body = s.get("/api/v1/search?q=smartcard")
    hits = json.loads(body)["hits"]
    assert any(h["port_lo"] == 3516 for h in hits)


def test_range_facts_are_this_machines_only_where_it_is_shown(serve):
    # On loopback the reader is on this machine; otherwise Linux's defaults are stated.
    local = serve().get("/port/3516")[2].decode()
    assert "On this machine, any user may listen" in local
    hidden = serve("--hide-machine")
    page = hidden.get("/port/3516")[2].decode()
    assert "On Linux, by default, any user may listen" in page and "On this machine" not in page
    rep = json.loads(hidden.get("/api/v1/ports/3516")[2])
    assert rep["range"]["this_machine"] is False
    assert rep["range"]["ephemeral"]["source"] == "Linux default"


def test_cache_keys_do_not_mix_parameters(serve):
    # Joined with a bare "|", these two requests once made the same cache key, so the
    # second was answered with the first one's page.
    s = serve()
    first = s.get("/search?q=" + urllib.parse.quote("smartcard|1"))[2]
    second = s.get("/search?q=smartcard&voted=" + urllib.parse.quote("1|"))[2]
    assert b'value="smartcard|1"' in first
    assert b'value="smartcard"' in second and b'value="smartcard|1"' not in second


def test_api_free_is_the_free_command(serve, full_db):
    # Hidden machine: the registry's answer alone, the same as `portolan free --no-machine`.
    s = serve("--hide-machine")
    status, h, body = s.get("/api/v1/free?near=6174&count=3")
    assert status == 200 and h["content-type"].startswith("application/json")
    cli = json.loads(run("free", "--near", "6174", "--count", "3", "--no-machine", "--json",
                         db=full_db, check=0).stdout)
    api = json.loads(body)
    # It goes by Linux's defaults, not this server's settings, and says so.
    assert api["ephemeral"].pop("this_machine") is False
    assert cli["ephemeral"].pop("this_machine") is True
    assert api["ephemeral"] == {"lo": 32768, "hi": 60999}
    api["ephemeral"] = cli["ephemeral"]
    assert api == cli
    assert api["machine_checked"] is False and h["cache-control"].startswith("public")
    # Another question is another answer, not the cached one.
    other = json.loads(s.get("/api/v1/free?near=6174&count=2")[2])
    assert len(other["ports"]) == 2
    # On loopback the server checks this machine: a port bound here drops out once the
    # short-lived answer (2 s, private, like every answer that shows this machine) expires.
    s = serve()
    first = json.loads(s.get("/api/v1/free?near=6174&count=1")[2])["ports"][0]["port"]
    with socket.socket() as held:
        held.bind(("127.0.0.1", first))
        held.listen()
        time.sleep(2.2)
        status, h, body = s.get("/api/v1/free?near=6174&count=1")
    rep = json.loads(body)
    assert rep["machine_checked"] is True and h["cache-control"] == "private, max-age=2"
    assert rep["ports"][0]["port"] != first


@pytest.mark.parametrize("query,message", [
    ("count=0", "count takes 1 to 100"),
    ("near=70000", "near: \"70000\" is not a port"),
    ("range=10", "range: \"10\" is not LO-HI"),
    ("range=5-1", "is not LO-HI"),
])
def test_api_free_refuses_bad_options(serve, query, message):
    status, _, body = serve("--hide-machine").get(f"/api/v1/free?{query}")
    assert status == 400 and message in json.loads(body)["error"]


def test_assets_are_embedded(serve):
    assets = sorted((ROOT / "src" / "web" / "assets").glob("*"))
    if not assets:
        pytest.skip("no assets in src/web/assets yet")
    s = serve()
    for a in assets:
        status, h, body = s.get(f"/assets/{a.name}")
        assert status == 200 and body == a.read_bytes(), a.name
        assert h["etag"].startswith('"') and "max-age" in h["cache-control"]
    assert s.get("/assets/../Makefile")[0] == 404


def test_metrics_count_requests(serve):
    s = serve()
    s.get("/port/3516")
    s.get("/port/abc")
    status, _, body = s.get("/metrics")
    text = body.decode()
    assert 'portolan_http_requests_total{route="port",status="200"} 1' in text
    assert 'portolan_http_requests_total{route="port",status="404"} 1' in text
    assert "# TYPE portolan_http_request_duration_seconds histogram" in text
    assert "portolan_votes_committed_total 0" in text


# ---- errors -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/port/70000", "/port/abc", "/port/-1", "/port/3516x",
                                  "/port/3516/xyz", "/port/", "/api/v1/ports/70000",
                                  "/range/nowhere", "/service/no-such-service-here",
                                  "/nothing-here", "/assets/nothing.css"])
def test_not_found(serve, path):
    s = serve()
    status, h, body = s.get(path)
    assert status == 404, path
    assert h["cache-control"] == "no-store"


SMALL_XML = """<?xml version='1.0' encoding='UTF-8'?>
<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">
  <title>Service Name and Transport Protocol Port Number Registry</title>
  <updated>2026-01-02</updated>
  <record><name>reloaded</name><protocol>tcp</protocol><number>3516</number>
    <description>Reloaded</description></record>
</registry>
"""


def test_sighup_serves_the_updated_database(full_db, tmp_path):
    # The server runs as nobody when started as root: the new file must be
    # readable to it, as the man page says, so it lives outside pytest's
    # private directories.
    here = pathlib.Path(tempfile.mkdtemp(prefix="portolan-reload-"))
    here.chmod(0o755)
    db = here / "live.db"
    shutil.copy(full_db, db)
    db.chmod(0o644)
    s = Server(db, tmp_path / "votes.db")
    try:
        def services():
            rep = json.loads(s.get("/api/v1/ports/3516")[2])
            return {r["service"] for r in rep["records"]}, rep["snapshot"]["registry_as_of"]
        assert services()[0] == {"smartcard-port"}
        assert s.get("/port/3516")[0] == 200  # cached from the old database
        (tmp_path / "r.xml").write_text(SMALL_XML)
        # --force: one row replaces the whole registry on purpose.
        run("update", "--from", tmp_path / "r.xml", "--no-system", "--no-data", "--quiet",
            "--force", db=db, check=0)
        assert services()[0] == {"smartcard-port"}  # no reload yet: the old snapshot
        s.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while services()[0] != {"reloaded"} and time.monotonic() < deadline:
            time.sleep(0.05)
        assert services() == ({"reloaded"}, "2026-01-02")
        assert b"Reloaded" in s.get("/port/3516")[2]  # the page cache was emptied
        # A file that cannot be opened is refused; the server keeps serving.
        db.unlink()
        db.write_text("not a database")
        s.proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert services()[0] == {"reloaded"}
        assert s.vote("/port/3516", "happy")[0] == 303
        code, err = s.stop()
        assert code == 0
        assert "reload: serving" in err and "still serving the old database" in err
    finally:
        s.kill()
        shutil.rmtree(here)


@pytest.mark.parametrize("path, location", [
    ("/port/03106", "/port/3106"),
    ("/port/3106/", "/port/3106"),
    ("/port/3516/UDP", "/port/3516/udp"),
    ("/port/3516/udp/", "/port/3516/udp"),
    ("/port/00?lang=ko", "/port/0?lang=ko"),
    ("/api/v1/ports/0443", "/api/v1/ports/443"),
])
def test_one_url_per_port_page(serve, path, location):
    s = serve()
    status, h, _ = s.get(path)
    assert status == 301 and h["location"] == location
    assert s.get(location)[0] == 200


def burst(s, n, rounds=2, deadline=10.0):
    """n kept-alive connections each send a request at once; every answer must come back."""
    import selectors
    socks = [socket.create_connection((s.host, s.port), timeout=5) for _ in range(n)]
    try:
        for _ in range(rounds):
            for c in socks:  # all requests out before any answer is read
                c.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            sel = selectors.DefaultSelector()
            got = {}
            for c in socks:
                c.setblocking(False)
                sel.register(c, selectors.EVENT_READ)
                got[c] = b""
            done, end = 0, time.monotonic() + deadline
            while done < n and time.monotonic() < end:
                for key, _ in sel.select(timeout=0.5):
                    chunk = key.fileobj.recv(65536)
                    assert chunk, "server closed a kept-alive connection"
                    got[key.fileobj] += chunk
                    head, sep, body = got[key.fileobj].partition(b"\r\n\r\n")
                    length = [int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:")]
                    if sep and length and len(body) >= length[0]:
                        assert head.startswith(b"HTTP/1.1 200"), head[:40]
                        sel.unregister(key.fileobj)
                        done += 1
            sel.close()
            for c in socks:
                c.setblocking(True)
            assert done == n, f"{n - done} of {n} requests unanswered after {deadline} s"
    finally:
        for c in socks:
            c.close()


@pytest.mark.parametrize("n", [128, 256])
def test_exactly_128k_ready_connections_do_not_stall(serve, n):
    """MHD 0.9.75's epoll thread stalls when exactly 128·k connections are ready; ours may not."""
    s = serve("--threads", "1")  # one epoll set holds them all
    burst(s, n)


def test_methods(serve):
    s = serve()
    assert s.get("/vote")[0] == 405
    status, h, _ = s.get("/feedback")
    assert status == 405 and h["allow"] == "POST"
    status, h, _ = s.request("DELETE", "/port/3516")
    assert status == 405
    assert s.request("POST", "/port/3516", body="a=b")[0] == 405
    status, h, body = s.request("HEAD", "/port/3516")
    assert status == 200 and body == b"" and int(h["content-length"]) > 0


def test_vote_body_limits_and_malformed_votes(serve):
    s = serve()
    big = "page=/port/3516&answer=happy&pad=" + "a" * 2048
    assert s.request("POST", "/vote", body=big)[0] == 413
    for body in ["", "page=/port/3516", "answer=happy", "page=/port/3516&answer=angry",
                 "page=/etc/passwd&answer=sad", "page=/port/70000&answer=sad",
                 "page=/port/3516&answer=sad&lang=xx-nope",
                 "page=/port/3516&answer=sad&answer=happy", "page=%zz&answer=sad",
                 "page=/port/3516%00&answer=sad"]:
        status, _, resp = s.request("POST", "/vote", body=body, headers=JSON_ACCEPT)
        assert status == 400, body
        assert "vote" in json.loads(resp)["error"]
    assert votes_in(s.votes) == []


def test_bad_query_strings(serve):
    s = serve()
    assert s.get("/search?q=%zz")[0] == 400
    assert s.get("/search?q=a&q=b")[0] == 400
    assert s.get("/api/v1/search")[0] == 400
    assert s.get("/" + "a" * 5000)[0] in (404, 414)


def test_script_in_query_comes_back_escaped(serve):
    s = serve()
    q = urllib.parse.quote("<script>alert(1)</script>")
    status, _, body = s.get(f"/search?q={q}")
    assert status == 200
    assert b"<script>alert(1)" not in body
    assert b"&lt;script&gt;" in body


# ---- headers, caching, compression ----------------------------------------------------------

BROWSER = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/120.0.0.0 Safari/537.36",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
              "*/*;q=0.8",
    "Accept-Language": "ko,en;q=0.5",
    "Accept-Encoding": "gzip, deflate, br",
}


def test_request_headers_are_bounded(serve):
    """A browser sending a full-size 4 KB cookie and then some (a localhost shares its cookies
    with every local app) is served; 6.5 KB of cookies get 431, 16 KB of headers too, and the
    server lives on."""
    s = serve()
    for cookie in [3000, 4096 + 600, 5000]:
        status, h, _ = s.get("/port/3516", headers={**BROWSER, "Cookie": "a=" + "x" * cookie})
        assert status == 200 and h["content-language"] == "ko", cookie
    status = s.get("/port/3516", headers={**BROWSER, "X-Pad": "a" * 9000})[0]
    assert status == 200
    for cookie in [6500, 12000]:
        status = s.get("/port/3516", headers={**BROWSER, "Cookie": "a=" + "x" * cookie})[0]
        assert status == 431, (cookie, status)
    status = s.get("/port/3516", headers={"X-Pad": "a" * 16384})[0]
    assert status in (413, 414, 431), status
    assert s.get("/healthz")[0] == 200


def test_security_headers_on_every_answer(serve):
    s = serve()
    for method, path, body in [("GET", "/port/3516", None), ("GET", "/port/abc", None),
                               ("GET", "/api/v1/ports/3516", None),
                               ("POST", "/vote", "page=/port/1&answer=meh")]:
        status, h, _ = s.request(method, path, body=body)
        csp = h["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"]
        assert h["cache-control"]


def test_etag_and_304(serve):
    s = serve()
    status, h, body = s.get("/port/3516")
    etag = h["etag"]
    status, h2, body2 = s.get("/port/3516", {"If-None-Match": etag})
    assert status == 304 and body2 == b"" and h2["etag"] == etag
    assert s.get("/port/3516", {"If-None-Match": '"other"'})[0] == 200
    assert s.get("/port/3516", {"If-None-Match": f'"x", W/{etag}'})[0] == 304
    assert s.get("/port/3517")[1]["etag"] != etag


def test_gzip_when_accepted(serve):
    s = serve()
    _, plain_h, plain = s.get("/port/3516")
    status, h, body = s.get("/port/3516", {"Accept-Encoding": "br, gzip;q=0.8"})
    assert status == 200 and h["content-encoding"] == "gzip"
    assert gzip.decompress(body) == plain
    assert h["etag"] != plain_h["etag"]
    assert "accept-encoding" in h["vary"].lower()
    _, h, body = s.get("/port/3516", {"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in h and body == plain
    # RFC 9110: an explicit gzip element decides; "*" speaks only for codings not named.
    for ae, want in [("gzip;q=0, *", False), ("*, gzip;q=0", False), ("*", True),
                     ("*;q=0", False), ("identity;q=0, *", True), ("x-gzip", True),
                     ("GZIP;Q=0.5", True), ("br", False), ("*;q=0, gzip", True)]:
        _, h, _ = s.get("/port/3516", {"Accept-Encoding": ae})
        assert (h.get("content-encoding") == "gzip") is want, ae


def test_language_by_header_and_parameter(serve):
    s = serve()
    _, h, body = s.get("/port/3516", {"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert h["content-language"] == "ko" and b'lang="ko"' in body
    _, h, body = s.get("/port/3516?lang=de", {"Accept-Language": "ko"})
    assert h["content-language"] == "de"


# ---- votes ------------------------------------------------------------------------------

def test_vote_without_javascript_redirects_back(serve):
    s = serve()
    status, h, _ = s.vote("/port/3516", "happy", "ko")
    assert status == 303
    assert h["location"] == "/port/3516?voted=1&lang=ko"
    assert h["cache-control"] == "no-store"
    assert votes_in(s.votes) == [("/port/3516", "ko", "happy", time.strftime("%Y-%m-%d",
                                                                             time.gmtime()))]


def catalog_has(lang, msgid):
    po = ROOT / "po" / f"{lang}.po"
    text = po.read_text(encoding="utf-8") if po.exists() else ""
    return f'msgid "{msgid}"\nmsgstr "' in text and f'msgid "{msgid}"\nmsgstr ""\n' not in text


def test_vote_with_javascript_thanks_in_the_language(serve):
    if not catalog_has("ko", "Thank you for your feedback!"):
        pytest.skip("po/ko.po does not translate the thanks yet")
    s = serve()
    status, h, body = s.vote("/port/3516", "meh", "en", JSON_ACCEPT)
    en = json.loads(body)
    assert status == 200 and en["ok"] is True and en["thanks"]
    status, h, body = s.vote("/port/3516/udp", "meh", "ko", JSON_ACCEPT)
    ko = json.loads(body)
    assert status == 200 and ko["thanks"] != en["thanks"]


def test_a_changed_answer_replaces_the_earlier_one(serve):
    s = serve()
    assert s.vote("/port/22", "sad")[0] == 303
    assert s.vote("/port/22", "happy")[0] == 303
    rows = votes_in(s.votes)
    assert [(p, a) for p, _, a, _ in rows] == [("/port/22", "happy")]


def test_rate_limit(serve):
    s = serve("--vote-rate", "3")
    codes = [s.vote(f"/port/{p}", "meh")[0] for p in range(1, 6)]
    assert codes[:3] == [303] * 3 and codes[3:] == [429, 429]
    assert len(votes_in(s.votes)) == 3


def test_feedback_lists_least_helpful_first(serve, tmp_path):
    s = serve()
    for page, answer in [("/port/80", "happy"), ("/port/3516", "sad"), ("/", "meh")]:
        assert s.vote(page, answer)[0] == 303
    p = run("feedback", "--votes", s.votes, "--json", check=0)
    rows = json.loads(p.stdout)["tallies"]
    assert [r["page"] for r in rows] == ["/port/3516", "/", "/port/80"]
    p = run("feedback", "--votes", s.votes, "--worst", "1", check=0)
    assert "/port/3516" in p.stdout and "/port/80" not in p.stdout
    p = run("feedback", "--votes", tmp_path / "none.db")
    assert p.returncode == 2 and "none.db" in p.stderr


def vote_storm(s, pages, results, stop=None):
    """Vote on each page once from this thread; record (page, status)."""
    for page in pages:
        if stop is not None and stop.is_set():
            return
        try:
            status = s.vote(page, "happy")[0]
        except (OSError, http.client.HTTPException):
            status = None
        results.append((page, status))


def storm_pages(n, threads):
    pages = [f"/port/{p}" for p in range(n)]
    return [pages[i::threads] for i in range(threads)]


def test_every_acknowledged_vote_survives_kill_9(serve):
    s = serve("--vote-rate", "0")
    results, stop = [], threading.Event()
    ts = [threading.Thread(target=vote_storm, args=(s, chunk, results, stop))
          for chunk in storm_pages(6000, 16)]
    for t in ts:
        t.start()
    time.sleep(1.0)
    s.proc.send_signal(signal.SIGKILL)
    stop.set()
    for t in ts:
        t.join()
    s.kill()
    acked = {p for p, status in results if status == 303}
    assert acked, "no vote was acknowledged before the kill"
    stored = {p for p, _, _, _ in votes_in(s.votes)}
    assert acked <= stored, sorted(acked - stored)[:10]


def test_sigterm_finishes_in_flight_and_exits_0(serve):
    s = serve("--vote-rate", "0")
    results = []
    ts = [threading.Thread(target=vote_storm, args=(s, chunk, results))
          for chunk in storm_pages(400, 8)]
    for t in ts:
        t.start()
    time.sleep(0.3)
    rc, err = s.stop()
    for t in ts:
        t.join()
    assert rc == 0, err
    acked = {p for p, status in results if status == 303}
    stored = {p for p, _, _, _ in votes_in(s.votes)}
    assert acked and acked <= stored


# ---- concurrency and listening ------------------------------------------------------------

@pytest.mark.parametrize("n", [128, 256])
def test_many_connections_ready_at_once(serve, n):
    """The epoll trap: n connections whose requests arrive together must all be answered."""
    s = serve()
    s.get("/port/3516")  # warm the cache so every answer is ready at once
    socks = [socket.create_connection((s.host, s.port), timeout=30) for _ in range(n)]
    req = b"GET /port/3516 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    try:
        for c in socks:
            c.sendall(req)
        for c in socks:
            data = b""
            while chunk := c.recv(65536):
                data += chunk
            assert data.startswith(b"HTTP/1.1 200"), data[:100]
    finally:
        for c in socks:
            c.close()


def test_public_address_needs_public(full_db, tmp_path):
    p = run("serve", "--listen", "0.0.0.0:0", "--votes", tmp_path / "v.db", db=full_db,
            timeout=30)
    assert p.returncode == 2 and "--public" in p.stderr
    s = Server(full_db, tmp_path / "v2.db", "--listen", "0.0.0.0:0", "--public")
    try:
        assert s.get("/healthz")[0] == 200
    finally:
        s.kill()


def test_bad_listen_addresses(full_db, tmp_path):
    for bad in ["127.0.0.1:70000", "127.0.0.1:http", "localhost:8080", "1.2.3:80"]:
        p = run("serve", "--listen", bad, "--votes", tmp_path / "v.db", db=full_db, timeout=30)
        assert p.returncode == 2 and "--listen" in p.stderr, bad


def test_a_port_in_use_is_refused_not_shared(serve, full_db, tmp_path):
    """A second server on the same port fails to bind rather than share the connections."""
    s = serve("--threads", "2")
    p = run("serve", "--listen", f"127.0.0.1:{s.port}", "--votes", tmp_path / "other.db",
            db=full_db, timeout=30)
    assert p.returncode == 2, p.stderr
    assert f"cannot listen on port {s.port}" in p.stderr and "in use" in p.stderr
    assert s.get("/healthz")[0] == 200


@pytest.mark.parametrize("threads,n", [(2, 64), (3, 50)])
def test_connections_are_spread_evenly_over_the_threads(serve, threads, n):
    """Each new connection goes to the thread with the fewest, whatever its address and port."""
    s = serve("--threads", str(threads))
    socks = [socket.create_connection((s.host, s.port), timeout=10) for _ in range(n)]
    try:
        deadline = time.monotonic() + 10
        while True:  # the /metrics request's own connection is one more
            text = s.get("/metrics")[2].decode()
            counts = [int(v) for v in re.findall(r'^portolan_connections\{thread="\d+"\} (\d+)$',
                                                 text, re.M)]
            if sum(counts) == n + 1 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert len(counts) == threads and sum(counts) == n + 1, text
        assert max(counts) - min(counts) <= 1, counts
    finally:
        for c in socks:
            c.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # closed connections leave the counts
        text = s.get("/metrics")[2].decode()
        if sum(int(v) for v in re.findall(r'^portolan_connections\{thread="\d+"\} (\d+)$',
                                          text, re.M)) == 1:
            break
        time.sleep(0.05)
    else:
        raise AssertionError(text)


def test_ipv6_loopback_serves_and_counts_votes(serve):
    s = serve("--listen", "[::1]:0")
    assert s.host == "::1"
    assert s.get("/healthz")[0] == 200
    status, h, _ = s.vote("/port/3516", "happy")
    assert status == 303 and h["location"] == "/port/3516?voted=1&lang=en"
    assert votes_in(s.votes) == [("/port/3516", "en", "happy",
                                  time.strftime("%Y-%m-%d", time.gmtime()))]


@pytest.mark.parametrize("args,says", [
    (["--threads", "0"], "--threads takes 1 to"),
    (["--vote-rate", "x"], "--vote-rate takes 0 to"),
    (["--max-connections", "0"], "--max-connections takes 1 to"),
    (["stray"], "unexpected argument 'stray'"),
])
def test_bad_options(full_db, args, says):
    p = run("serve", *args, db=full_db, timeout=30)
    assert p.returncode == 2 and says in p.stderr


def test_on_loopback_the_page_shows_who_listens_here(serve):
    s = serve()
    status, _, body = s.get(f"/api/v1/ports/{s.port}")
    rep = json.loads(body)
    holders = [h["pid"] for l in rep["listening"]["listeners"] for h in l["holders"]]
    assert s.proc.pid in holders
    status, _, body = s.get(f"/port/{s.port}")
    assert status == 200 and b"portolan" in body and str(s.proc.pid).encode() in body


def test_hide_machine_leaves_the_machine_out(serve):
    s = serve("--hide-machine")
    status, headers, body = s.get(f"/api/v1/ports/{s.port}")
    assert "listening" not in json.loads(body)
    assert headers["cache-control"] == "public, max-age=300"


def test_what_listens_here_is_not_served_stale(serve):
    # The server caches answers; one that shows this machine's listeners may
    # be reused for two seconds only, and browsers are told the same.
    s = serve()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    paths = (f"/api/v1/ports/{port}", f"/port/{port}")
    for path in paths:
        status, headers, _ = s.get(path)
        assert status == 200 and headers["cache-control"] == "private, max-age=2"
    assert json.loads(s.get(paths[0])[2])["listening"]["listeners"] == []
    listener = socket.socket()
    listener.bind(("127.0.0.1", port))
    listener.listen()
    try:
        time.sleep(3)
        # (The server may run as nobody, so it need not see who holds the socket.)
        listeners = json.loads(s.get(paths[0])[2])["listening"]["listeners"]
        assert [(l["address"], l["port"]) for l in listeners] == [("127.0.0.1", port)]
        assert f"127.0.0.1:{port}".encode() in s.get(paths[1])[2]
    finally:
        listener.close()
