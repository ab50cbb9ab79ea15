"""End-to-end tests of `portolan serve` under abuse: votes that must not count (cross-site,
aliases, a restart), the machine's listeners shown by client address, files the server
must not follow as root, strict HTTP, fair connection handling (a soak test: slowloris,
idle floods and costly searches from one address while another measures /healthz), and
a ThreadSanitizer build under load when one is built.

Everything runs on loopback; an "attacker" and a "measurer" are told apart by source
address (127.0.0.2 and 127.0.0.1: Linux routes all of 127/8 to lo).
"""
import html
import os
import re
import sqlite3
import time

import pytest

from conftest import run
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
        assert "vote" in __import__("json").loads(body)["error"]
    assert votes_in(s.votes) == []
    # The same site: by Origin, by Sec-Fetch-Site, or (neither) by the page's token.
    assert s.vote("/port/22", "sad")[0] == 303
    assert s.vote("/port/80", "sad", headers={"Origin": None,
                                              "Sec-Fetch-Site": "same-origin"})[0] == 303
    token = page_token(s, "/port/3516")
    assert s.vote("/port/3516", "meh", headers={"Origin": None},
                  fields={"token": token})[0] == 303
    # A token is one page's: it does not vote on another.
    assert s.vote("/port/3517", "meh", headers={"Origin": None},
                  fields={"token": token})[0] == 403
    assert sorted(p for p, _, _, _ in votes_in(s.votes)) == ["/port/22", "/port/3516", "/port/80"]


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
    rows = __import__("json").loads(p.stdout)["tallies"]
    assert [(r["page"], r["votes"]) for r in rows] == [("/port/22", 1)]
