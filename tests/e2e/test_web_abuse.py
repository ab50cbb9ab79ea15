"""End-to-end tests of `portolan serve` under abuse: votes that must not count (cross-site,
aliases, a restart), the machine's listeners shown by client address, files the server
must not follow as root, strict HTTP, fair connection handling (a soak test: slowloris,
idle floods and costly searches from one address while another measures /healthz), and
a ThreadSanitizer build under load when one is built.

Everything runs on loopback; an "attacker" and a "measurer" are told apart by source
address (127.0.0.2 and 127.0.0.1: Linux routes all of 127/8 to lo).
"""
import json
import os
import pathlib
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import ROOT, run
from test_web import JSON_ACCEPT, Server, serve, votes_in  # noqa: F401 (serve: a fixture)

TODAY = time.strftime("%Y-%m-%d", time.gmtime())


def page_token(s, page):
    status, _, body = s.get(page)
    assert status == 200, page
    m = re.search(rb'name="token" value="([0-9a-f]+)"', body)
    assert m, "the vote form carries no token"
    return m.group(1).decode()


# ---- honest votes ---------------------------------------------------------------------------

def test_cross_site_votes_are_refused(serve):
    s = serve()
    evil = {"Origin": "https://evil.example"}
    for headers in [evil, {"Origin": "null"}, {"Origin": None, "Sec-Fetch-Site": "cross-site"},
                    {"Origin": None, "Sec-Fetch-Site": "same-site"},
                    {"Origin": None}]:  # neither header, no token: an old browser's forged form
        status, _, body = s.vote("/port/22", "sad", headers={**headers, **JSON_ACCEPT})
        assert status == 403, headers
        assert "vote" in json.loads(body)["error"]
    assert votes_in(s.votes) == []
    # The same site: by Origin, by Sec-Fetch-Site, or (neither) by the page's token.
    assert s.vote("/port/22", "sad")[0] == 303
    assert s.vote("/port/80", "sad", headers={"Origin": None,
                                              "Sec-Fetch-Site": "same-origin"})[0] == 303
    # A browser's Sec-Fetch-Site decides, whatever Host a proxy in front passed on.
    assert s.vote("/port/81", "sad", headers={"Origin": "https://portolan.example",
                                              "Sec-Fetch-Site": "same-origin"})[0] == 303
    token = page_token(s, "/port/3516")
    assert s.vote("/port/3516", "meh", headers={"Origin": None},
                  fields={"token": token})[0] == 303
    # A token is one page's: it does not vote on another.
    assert s.vote("/port/3517", "meh", headers={"Origin": None},
                  fields={"token": token})[0] == 403
    assert sorted(p for p, _, _, _ in votes_in(s.votes)) == ["/port/22", "/port/3516",
                                                             "/port/80", "/port/81"]


def test_page_aliases_are_one_page(serve):
    s = serve()
    for page in ["/port/22", "/port/022", "/port/0022/", "/port/22/"]:
        assert s.vote(page, "sad")[0] == 303, page
    assert s.vote("/port/22/TCP", "happy")[0] == 303
    assert s.vote("/port/22/tcp", "happy")[0] == 303
    assert s.vote("/service/SSH", "meh")[0] == 303
    assert s.vote("/service/ssh", "meh")[0] == 303
    assert s.vote("/port/" + "0" * 50 + "22", "sad")[0] == 400  # a 404 page: no page
    rows = votes_in(s.votes)
    assert [(p, a) for p, _, a, _ in rows] == [("/port/22", "sad"), ("/port/22/tcp", "happy"),
                                               ("/service/ssh", "meh")]
    # The canonical page is where the 301 of each port alias goes.
    for alias, canon in [("/port/022", "/port/22"), ("/port/22/TCP", "/port/22/tcp")]:
        status, h, _ = s.get(alias)
        assert status == 301 and h["location"] == canon


def test_one_vote_per_page_per_day_across_a_restart(serve, tmp_path):
    votes = tmp_path / "kept.votes"
    s = serve(votes=votes)
    assert s.vote("/port/22", "sad")[0] == 303
    s.stop()
    s = serve(votes=votes)
    assert s.vote("/port/22", "happy")[0] == 303
    assert [(p, a) for p, _, a, _ in votes_in(votes)] == [("/port/22", "happy")]
    db = sqlite3.connect(str(votes))
    salts = db.execute("SELECT day FROM salt").fetchall()
    db.close()
    assert salts == [(TODAY,)]


def test_feedback_lists_canonical_pages_only(serve):
    s = serve()
    assert s.vote("/port/22", "happy")[0] == 303
    s.stop()
    db = sqlite3.connect(str(s.votes))  # rows an older server stored under aliases
    for page in ["/port/022", "/service/SSH", "/port/22/TCP"]:
        db.execute("INSERT INTO vote VALUES (?, 'en', 'sad', ?, randomblob(16))",
                   (page, TODAY))
    db.commit()
    db.close()
    p = run("feedback", "--votes", s.votes, "--json", check=0)
    rows = json.loads(p.stdout)["tallies"]
    assert [(r["page"], r["votes"]) for r in rows] == [("/port/22", 1)]


# ---- no path trusted as root ----------------------------------------------------------------

def serve_fails(full_db, votes, *extra):
    with pytest.raises(AssertionError) as failed:
        Server(full_db, votes, *extra)
    return str(failed.value)


def test_a_symlinked_votes_file_is_refused(full_db, tmp_path):
    target = tmp_path / "elsewhere.db"
    link = tmp_path / "v.votes"
    link.symlink_to(target)
    said = serve_fails(full_db, link)
    assert "symbolic link" in said
    assert not target.exists()


def test_another_database_is_not_taken_for_votes(full_db, tmp_path):
    other = tmp_path / "precious.db"
    db = sqlite3.connect(str(other))
    db.execute("CREATE TABLE secrets(x)")
    db.commit()
    db.close()
    before = other.stat()
    said = serve_fails(full_db, other)
    assert "not a votes database" in said
    db = sqlite3.connect(str(other))
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    db.close()
    assert tables == ["secrets"]
    assert (other.stat().st_uid, other.stat().st_gid) == (before.st_uid, before.st_gid)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root: what root gives away")
def test_root_gives_away_no_file_through_a_link(full_db, tmp_path):
    votes = tmp_path / "v.votes"
    s = Server(full_db, votes)  # as root: the files become nobody's
    assert s.vote("/port/22", "sad")[0] == 303
    s.stop()
    assert votes.stat().st_uid != 0
    victim = tmp_path / "victim"
    victim.write_text("root's\n")
    os.chmod(victim, 0o600)
    for side in ["-wal", "-shm"]:
        p = tmp_path / ("v.votes" + side)
        if p.exists():
            p.unlink()
        p.symlink_to(victim)
        said = serve_fails(full_db, votes)
        assert "symbolic link" in said, said
        assert victim.stat().st_uid == 0 and victim.read_text() == "root's\n"
        p.unlink()


def test_update_refuses_a_symlinked_lock_or_database(tmp_path):
    xml = ROOT / "data/iana/service-names-port-numbers.xml"
    victim = tmp_path / "victim"
    db = tmp_path / "p.db"
    (tmp_path / "p.db.lock").symlink_to(victim)
    p = run("update", "--from", xml, "--db", db)
    assert p.returncode != 0 and "symbolic link" in p.stderr
    assert not victim.exists() and not db.exists()
    (tmp_path / "p.db.lock").unlink()
    real = tmp_path / "real.db"
    link = tmp_path / "link.db"
    link.symlink_to(real)
    p = run("update", "--from", xml, "--db", link)
    assert p.returncode != 0 and "symbolic link" in p.stderr
    assert not real.exists() and link.is_symlink()


# ---- this machine's listeners, by client --------------------------------------------------------

def listeners_shown(s, headers=None):
    rep = json.loads(s.get(f"/api/v1/ports/{s.port}", headers=headers)[2])
    page = s.get(f"/port/{s.port}", headers=headers)[2].decode()
    shown = "listening" in rep
    assert shown == (str(s.proc.pid) in page), "the page and the API disagree"
    return shown


@pytest.mark.parametrize("header", [{"X-Forwarded-For": "203.0.113.5"},
                                    {"Forwarded": "for=203.0.113.5;proto=https"},
                                    {"X-Real-IP": "203.0.113.5"},
                                    {"Via": "1.1 proxy"}])
def test_a_proxied_client_does_not_see_this_machine(serve, header):
    """Behind a reverse proxy on the same host every client is loopback: what the proxy
    forwards must not show this machine's processes to someone elsewhere."""
    s = serve()
    assert listeners_shown(s)
    assert not listeners_shown(s, header)
    assert listeners_shown(s)  # and the cache did not mix the two


def test_trust_proxy_shows_a_forwarded_local_client(serve):
    s = serve("--trust-proxy")
    # and a vote whose Origin is the public name the proxy forwards counts
    assert s.vote("/port/22", "sad", headers={"Origin": "https://portolan.example",
                                              "X-Forwarded-Host": "portolan.example"})[0] == 303
    assert s.vote("/port/22", "sad", headers={"Origin": "https://evil.example",
                                              "X-Forwarded-Host": "portolan.example"})[0] == 403
    assert listeners_shown(s, {"X-Forwarded-For": "203.0.113.5, 127.0.0.1"})
    assert listeners_shown(s, {"Forwarded": 'for="[::1]:4711"'})
    assert not listeners_shown(s, {"X-Forwarded-For": "127.0.0.1, 203.0.113.5"})
    assert not listeners_shown(s, {"Forwarded": "for=198.51.100.1"})
    assert not listeners_shown(s, {"X-Forwarded-For": "bogus"})


def test_a_public_listener_shows_local_clients_this_machine(full_db, tmp_path):
    s = Server(full_db, tmp_path / "v.votes", "--public", "--listen", "0.0.0.0:0")
    try:
        s.host = "127.0.0.1"
        assert listeners_shown(s)  # by the client's address, not the listen address
    finally:
        s.kill()


# ---- strict HTTP -------------------------------------------------------------------------------

def raw(s, data, timeout=5.0, body=b""):
    """Send bytes, read until the server closes (or timeout): (answer bytes, closed)."""
    c = socket.create_connection((s.host, s.port), timeout=timeout)
    out, closed = b"", False
    try:
        c.sendall(data)
        if body:
            try:
                c.sendall(body)
            except OSError:
                pass
        while True:
            chunk = c.recv(65536)
            if not chunk:
                closed = True
                break
            out += chunk
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    finally:
        c.close()
    return out, closed


def statuses(answer):
    return [int(m) for m in re.findall(rb"^HTTP/1\.1 (\d{3}) ", answer, re.M)]


@pytest.mark.parametrize("head", [
    # Two differing lengths: the rest of the body must not run as a second request.
    b"POST /vote HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 44\r\n\r\n"
    b"page=GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
    b"POST /vote HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"0\r\n\r\n",
    b"POST /vote HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
], ids=["two-lengths", "two-lengths-get", "length-and-chunked", "gzip", "gzip-chunked-get"])
def test_ambiguous_framing_is_400_and_close(serve, head):
    s = serve()
    start = time.monotonic()
    answer, closed = raw(s, head)
    assert statuses(answer) == [400] and closed, answer[:200]
    assert b"connection: close" in answer.lower()
    assert time.monotonic() - start < 2


def chunked(n):
    return b"%x\r\n" % n + b"a" * n + b"\r\n0\r\n\r\n"


@pytest.mark.parametrize("head,body", [
    (b"Content-Length: 2000\r\n", b"a" * 2000),
    (b"Content-Length: 100000\r\n", b"a" * 100000),
    (b"Transfer-Encoding: chunked\r\n", chunked(2000)),
    (b"Transfer-Encoding: chunked\r\n", chunked(100000)),
    (b"Content-Length: 50000000\r\n", b"a" * 1000),  # refused before it is sent
], ids=["2k", "100k", "chunked-2k", "chunked-100k", "50M"])
def test_every_oversized_body_gets_one_413(serve, head, body):
    s = serve()
    answer, _ = raw(s, b"POST /vote HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n" + head +
                    b"\r\n", body=body, timeout=3)
    assert statuses(answer) == [413], answer[:300]
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"]


def test_long_targets_are_414_in_the_readers_language(serve):
    s = serve()
    for n in [2100, 4000, 4100, 8000]:
        status, _, body = s.get("/search?lang=ko&q=" + "a" * n)
        assert status == 414, n
        assert b'<html lang="ko"' in body
    status, _, body = s.get("/" + "a" * 5000 + "?lang=de")
    assert status == 414 and b'<html lang="de"' in body
    status, _, body = s.get("/search?q=%zz&lang=ko")
    assert status == 400 and b'<html lang="ko"' in body
    status, _, body = s.get("/api/v1/search?q=" + "a" * 3000)
    assert status == 414 and json.loads(body)["error"]


def test_429_says_when_to_retry(serve):
    s = serve("--vote-rate", "2")
    assert [s.vote(f"/port/{p}", "meh")[0] for p in (1, 2)] == [303, 303]
    status, h, _ = s.vote("/port/3", "meh")
    assert status == 429 and h["retry-after"] == "30"


def test_api_errors_say_what_went_wrong(serve):
    s = serve()
    for path, status in [("/api/v1/ports/99999", 404), ("/api/v1/nothing", 404),
                         ("/api/v1/ports/abc", 404)]:
        got, _, body = s.get(path)
        assert got == status
        err = json.loads(body)["error"]
        assert isinstance(err, str) and err, path
    got, _, body = s.request("DELETE", "/api/v1/ports/22")
    assert got == 405 and json.loads(body)["error"]


def test_no_server_path_in_any_answer(serve):
    s = serve()
    data = str(ROOT / "data")
    for path in ["/api/v1/ports/22", "/api/v1/ports/3306", "/api/v1/search?q=ssh",
                 "/api/v1/free?near=8080", "/port/22", "/port/3306", "/service/ssh",
                 "/range/dynamic", "/", "/search?q=ssh"]:
        status, _, body = s.get(path)
        text = body.decode()
        assert status == 200, path
        assert data not in text and "/usr/share/" not in text, path
    sources = json.loads(s.get("/api/v1/ports/22")[2])["sources"]
    by_kind = {src["kind"]: src for src in sources}
    assert by_kind["iana-xml"]["location"].startswith("https://www.iana.org/")
    assert all(src.get("location", "https://").startswith("https://") for src in sources)
    assert all(src["name"] and src["as_of"] for src in sources)


@pytest.mark.parametrize("status,lang,path,method,body", [
    (403, "ko", "/vote?lang=ko", "POST", "page=/port/22&answer=sad"),
    (405, "fr", "/port/22?lang=fr", "DELETE", None),
])
def test_error_pages_speak_the_readers_language(serve, status, lang, path, method, body):
    s = serve()
    h = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    got, _, page = s.request(method, path, body=body, headers=h)
    assert got == status
    assert f'<html lang="{lang}"'.encode() in page
    assert b"Something went wrong" not in page


# ---- fair connection handling: the soak test --------------------------------------------------

def measure(s, seconds, every=0.02):
    """From 127.0.0.1, a new connection per request: /healthz latencies, and now and then a page."""
    lat, bad, pages = [], [], 0
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        i += 1
        path = "/port/22" if i % 10 == 0 else "/healthz"
        t0 = time.monotonic()
        try:
            c = socket.create_connection((s.host, s.port), timeout=5,
                                         source_address=("127.0.0.1", 0))
            c.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            answer = b""
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    break
                answer += chunk
            c.close()
            ok = answer.startswith(b"HTTP/1.1 200 ")
        except OSError as exc:
            ok, answer = False, repr(exc).encode()
        took = time.monotonic() - t0
        if not ok:
            bad.append((path, answer[:80]))
        elif path == "/healthz":
            lat.append(took)
        else:
            pages += 1
        time.sleep(max(0.0, every - took))
    return lat, bad, pages


def test_one_address_cannot_lock_out_another(serve):
    import test_web
    """4,500 slowloris connections and 5,000 idle ones from 127.0.0.2, back-to-back costly
    searches (from 127.0.0.3, which the cap on .2 would refuse), while 127.0.0.1 measures /healthz (a new connection each time): p99 under
    50 ms, every request answered, pages served, and the log a few lines, not one a drop."""
    s = serve()
    attacker = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/e2e/web_attacker.py"), s.host, str(s.port),
         "127.0.0.2", "--search-source", "127.0.0.3", "--slow", "4500", "--idle", "5000",
         "--seconds", "24"],
        stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(3)  # the flood is up
        lat, bad, pages = measure(s, 18)
        out, _ = attacker.communicate(timeout=60)
    finally:
        if attacker.poll() is None:
            attacker.kill()
    seen = json.loads(out)
    rc, err = s.stop()
    lat.sort()
    p99 = lat[int(len(lat) * 0.99)] if lat else None
    print(f"healthz n={len(lat)} p50={lat[len(lat) // 2] * 1000:.1f} ms "
          f"p99={p99 * 1000:.1f} ms max={lat[-1] * 1000:.1f} ms pages={pages} attacker={seen}")
    assert not bad, bad[:5]
    # Under ASan every request costs several times as much: there the test holds the rest.
    sanitized = "build-san" in test_web.BIN
    assert len(lat) > 300 and (p99 < 0.050 or sanitized), p99
    assert pages > 30
    assert seen["search_statuses"].get("200", 0) > 20  # the searches did run
    assert seen["closed_by_server"] > 4500  # capped, and the admitted shed at the deadline
    assert rc == 0
    assert len(err.splitlines()) < 20, err[-2000:]
    assert "in the last interval" in err and "per-address cap" in err
    assert "past the request-head deadline" in err  # trickled heads did not keep their slots


def test_when_full_the_oldest_idle_connection_makes_room(serve):
    s = serve("--threads", "1", "--max-connections", "20", "--max-per-address", "20")
    idle = []
    for _ in range(20):
        c = socket.create_connection((s.host, s.port), source_address=("127.0.0.2", 0))
        idle.append(c)
        time.sleep(0.02)
    status = raw(s, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")[0]
    assert statuses(status) == [200]

    def closed(c):
        c.settimeout(0.5)
        try:
            return c.recv(1) == b""
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True

    assert closed(idle[0]) and not closed(idle[-1])
    for c in idle:
        c.close()
    metrics = s.get("/metrics")[2].decode()
    assert 'portolan_connections_dropped_total{reason="shed_idle"} 1\n' in metrics


# ---- threads -------------------------------------------------------------------------------------

def test_a_resumed_vote_is_not_read_after_its_thread_freed_it(serve, tmp_path, monkeypatch):
    """The vote writer resumed a suspended connection and then read the request again, which
    the connection's thread may by then have answered, closed and freed.  A shim makes the
    writer sleep right after resuming, while other requests keep that thread (one) busy, so
    the read, if any, is of freed memory: ASan's report in a sanitizer build, a wake-up of
    garbage ("cannot wake a server thread") or worse in a normal one."""
    import threading
    shim = tmp_path / "resume_delay.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", str(shim),
                    str(ROOT / "tests/e2e/resume_delay.c"), "-ldl"], check=True)
    monkeypatch.setenv("LD_PRELOAD", str(shim))
    s = serve("--threads", "1", "--vote-rate", "0")
    monkeypatch.delenv("LD_PRELOAD")
    stop = threading.Event()

    def busy():
        while not stop.is_set():
            try:
                s.get("/healthz")
            except OSError:
                time.sleep(0.05)

    t = threading.Thread(target=busy)
    t.start()
    answers = []
    try:
        for i in range(5):
            try:
                answers.append(statuses(raw(
                    s, b"POST /vote HTTP/1.1\r\nHost: x\r\nSec-Fetch-Site: same-origin\r\n"
                       b"Connection: close\r\nContent-Length: 24\r\n\r\n"
                       b"page=/port/%d&answer=sad" % (10 + i))[0]))
            except OSError as exc:  # the server is gone
                answers.append(repr(exc))
            time.sleep(0.1)
    finally:
        stop.set()
        t.join()
    s.proc.send_signal(signal.SIGTERM)
    _, err = s.proc.communicate(timeout=30)
    assert "AddressSanitizer" not in err and "cannot wake" not in err, err[-3000:]
    assert answers == [[303]] * 5 and s.proc.returncode == 0


# ---- threads under ThreadSanitizer --------------------------------------------------------------

TSAN_BIN = ROOT / "build-tsan" / "portolan"


def tsan_load(s, stop, errors):
    """Pages (cached and not), the API, searches, votes (some on connections closed right
    after, the use-after-free's case) from this thread until stop is set."""
    i = 0
    while not stop.is_set():
        i += 1
        try:
            for path in ["/port/22", f"/port/{i % 3000}", f"/api/v1/ports/{i % 700}",
                         f"/search?q=ss{chr(97 + i % 26)}", "/healthz", "/range/dynamic"]:
                s.get(path)
            c = socket.create_connection((s.host, s.port), timeout=10)
            body = f"page=/port/{i % 5000}&answer=happy&lang=en".encode()
            c.sendall(b"POST /vote HTTP/1.1\r\nHost: x\r\nSec-Fetch-Site: same-origin\r\n"
                      b"Accept: application/json\r\nConnection: close\r\n"
                      b"Content-Type: application/x-www-form-urlencoded\r\n"
                      b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            c.recv(4096)
            c.close()
        except OSError as exc:
            errors.append(repr(exc))


@pytest.mark.skipif(not TSAN_BIN.exists(), reason="no ThreadSanitizer build (make TSAN=1)")
def test_threads_are_clean_under_thread_sanitizer(full_db, monkeypatch):
    import shutil
    import tempfile
    import test_web
    import threading
    monkeypatch.setattr(test_web, "BIN", str(TSAN_BIN))
    monkeypatch.setenv("TSAN_OPTIONS", "halt_on_error=0 report_signal_unsafe=0 "
                                       "second_deadlock_stack=1")
    # Started as root the server becomes nobody, who must be able to reopen the database.
    here = pathlib.Path(tempfile.mkdtemp(prefix="portolan-tsan-"))
    here.chmod(0o755)
    db = here / "portolan.db"
    shutil.copy(full_db, db)
    db.chmod(0o644)
    s = Server(db, here / "v.votes", "--threads", "2", "--vote-rate", "0")
    stop, errors = threading.Event(), []
    ts = [threading.Thread(target=tsan_load, args=(s, stop, errors)) for _ in range(6)]
    try:
        for t in ts:
            t.start()
        for _ in range(6):  # reloads while every thread queries
            time.sleep(1.5)
            s.proc.send_signal(signal.SIGHUP)
        stop.set()
        for t in ts:
            t.join()
        rc, err = s.stop(timeout=120)
    finally:
        stop.set()
        s.kill()
    shutil.rmtree(here, ignore_errors=True)
    if "ThreadSanitizer" in err:
        (ROOT / "build-tsan" / "last-report.txt").write_text(err)
    assert "ThreadSanitizer" not in err, "see build-tsan/last-report.txt\n" + err[:3000]
    assert err.count("reload: serving") == 6
    assert rc == 0 and not errors, errors[:3]
