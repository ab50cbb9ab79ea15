"""End-to-end tests of what the served pages give a reader and a search
engine beyond their text: a block of a range listed port by port, the
links that lead there, one search box a page, a language switch that keeps
the search, ?lang= read like Accept-Language, the head's description,
canonical and hreflang links, and /favicon.ico.

The server is test_web.py's, on the default database.
"""
import html
import re

import pytest

from test_web import Server


@pytest.fixture
def site(full_db, tmp_path):
    s = Server(full_db, tmp_path / "votes.db")
    yield s
    s.kill()


def page(s, path, headers=None):
    status, h, body = s.get(path, headers)
    assert status == 200, (path, body[:300])
    return body.decode()


def test_a_block_lists_every_port_with_name_status_and_concern(site):
    body = page(site, "/range/3072-3135")
    rows = re.findall(r'<tr class="(on|off)"><td><a href="/port/(\d+)\?lang=en">', body)
    assert [int(p) for _, p in rows] == list(range(3072, 3136))
    # 3074 is xbox (assigned); its row names it and says so.
    row = re.search(r'<tr class="on"><td><a href="/port/3074\?lang=en">3074</a></td>(.*?)</tr>',
                    body).group(1)
    assert "xbox" in row and ">assigned<" in row
    # The neighbouring blocks of the same width.
    assert 'href="/range/3008-3071?lang=en" rel="prev"' in body
    assert 'href="/range/3136-3199?lang=en" rel="next"' in body


def test_a_block_shows_a_concern_where_there_is_one(site, full_db):
    # 31337 is Back Orifice's port in the curated data: high concern.
    body = page(site, "/range/31330-31340")
    row = re.search(r'href="/port/31337\?lang=en">31337</a></td>(.*?)</tr>', body).group(1)
    assert re.search(r'class="level-(high|elevated)">[A-Z]', row), row


@pytest.mark.parametrize("path", ["/range/10-5", "/range/0-5000", "/range/1-x", "/range/-1-5",
                                  "/range/0-65536"])
def test_no_such_block(site, path):
    assert site.get(path)[0] == 404


def test_the_chart_and_the_table_link_every_block(site):
    body = page(site, "/range/registered")
    blocks = re.findall(r'<a href="/range/(\d+)-(\d+)\?lang=en"', body)
    # 64 bars and 64 table rows, each block once in each.
    assert len(blocks) == 128 and len(set(blocks)) == 64
    assert blocks[0] == ("1024", "1775")
    assert '<div class="xaxis" aria-hidden="true"><span>1024</span>' in body
    assert "<span>49151</span></div>" in body
    assert "<span>100%</span><span>50%</span><span>0%</span>" in body


def test_one_search_box_a_page(site):
    for path in ["/", "/search?q=ssh"]:
        assert page(site, path).count('role="search"') == 1, path
    assert page(site, "/port/3516").count('role="search"') == 1  # the header's


def test_switching_language_keeps_the_search(site):
    body = page(site, "/search?q=smart+card&lang=en")
    assert 'href="/search?q=smart%20card&amp;lang=ko" hreflang="ko"' in body


def test_lang_parameter_is_negotiated_like_accept_language(site):
    by_param = page(site, "/port/3516?lang=pt-BR")
    by_header = page(site, "/port/3516", {"Accept-Language": "pt-BR"})
    assert '<html lang="pt">' in by_param and '<html lang="pt">' in by_header


def test_head_has_description_canonical_and_hreflang(site):
    base = f"http://{site.host}:{site.port}"
    body = page(site, "/port/3516?lang=ko")
    head = body.split("</head>")[0]
    desc = re.search(r'<meta name="description" content="([^"]+)">', head).group(1)
    assert "3516" in html.unescape(desc)
    assert f'<link rel="canonical" href="{base}/port/3516?lang=ko">' in head
    assert f'<link rel="alternate" hreflang="en" href="{base}/port/3516?lang=en">' in head
    assert "x-default" not in head  # /port/3516 alone follows Accept-Language
    assert len(re.findall(r'rel="alternate" hreflang=', head)) == 12


def test_base_url_names_the_public_address(full_db, tmp_path):
    s = Server(full_db, tmp_path / "votes.db", "--base-url", "https://ports.example.org")
    try:
        head = page(s, "/").split("</head>")[0]
        assert '<link rel="canonical" href="https://ports.example.org/?lang=en">' in head
    finally:
        s.kill()


def test_favicon(site):
    status, h, body = site.get("/favicon.ico")
    assert status == 200 and h["content-type"].startswith("image/svg+xml")
    assert body.startswith(b"<svg") or b"<svg" in body[:200]


def test_a_block_page_takes_a_vote(site):
    status, h, _ = site.vote("/range/3072-3135", "happy")
    assert status == 303 and h["location"].startswith("/range/3072-3135?voted=1")
    assert site.vote("/range/3072-9999", "happy")[0] == 400  # no such block
