"""`portolan export DIR`: the site as static files.  Every link in the tree
must name a file in it, the pages must be the server's pages (the same
sections, the same report), and DIR is replaced whole or not at all."""
import html.parser
import json
import os
import pathlib
import re
import signal
import subprocess
import time
import urllib.parse
import xml.etree.ElementTree as ET

import pytest

from conftest import BIN, run
from test_web import Server

LANGS = ["en", "hi", "id", "sv", "ko", "de", "fr", "es", "pt", "ja", "zh-Hans", "ru"]


class Page(html.parser.HTMLParser):
    """The parts of a page these tests read: links, ids, forms, <html lang>."""

    def __init__(self, text):
        super().__init__()
        self.links, self.ids, self.forms, self.bare_anchors = [], [], [], 0
        self.head_links = []  # (rel, hreflang, href) of every <link>
        self.lang = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "form":
            self.forms.append(a.get("action"))
        if tag == "a" and "href" not in a:
            self.bare_anchors += 1
        if tag == "link":
            self.head_links.append((a.get("rel"), a.get("hreflang"), a.get("href")))
        for k in ("href", "src"):
            if k in a:
                self.links.append(a[k])


def export(tmp_path, *args, name="site", check=0):
    out = tmp_path / name
    p = run("export", *args, str(out), check=check)
    return out, p


def pages(root):
    return sorted(root.rglob("*.html"))


def internal(link):
    return not link.startswith(("http://", "https://", "mailto:", "#"))


def test_every_link_names_a_file_of_the_tree(npm_db, tmp_path):
    site, p = export(tmp_path, "--db", npm_db, "--ports", "3500-3530", "--lang", "en,ko")
    assert "pages in 2 languages" in p.stdout
    checked = 0
    for f in pages(site):
        doc = Page(f.read_text())
        for link in filter(internal, doc.links):
            if f.name == "404.html":  # served at any depth, so its links start at /
                assert link.startswith("/"), link
                target = site / urllib.parse.unquote(link.split("#")[0][1:])
            else:
                assert not link.startswith("/"), (f, link)
                target = f.parent / urllib.parse.unquote(link.split("#")[0])
            assert target.resolve().is_file(), (f.relative_to(site), link)
            checked += 1
    assert checked > 1500  # 2,136 when written
    for lang in ("en", "ko"):
        for port in range(3500, 3531):
            assert (site / lang / "port" / f"{port}.html").is_file()
            assert (site / "api" / "v1" / "ports" / f"{port}.json").is_file()
        assert not (site / lang / "port" / "3499.html").exists()
        for r in ("well-known", "registered", "dynamic"):
            assert (site / lang / "range" / f"{r}.html").is_file()
    assert (site / "assets" / "style.css").is_file() and (site / ".portolan-export").is_file()
    # Ports outside the export keep their text but link nowhere: 3500's "previous port".
    first = Page((site / "en" / "port" / "3500.html").read_text())
    assert first.bare_anchors >= 1 and not any("3499" in x for x in first.links)


def test_pages_are_the_servers_without_what_needs_a_server(npm_db, tmp_path):
    site, _ = export(tmp_path, "--db", npm_db, "--ports", "3516-3516", "--lang", "en,ko")
    srv = Server(npm_db, tmp_path / "votes.db", "--hide-machine")
    try:
        for lang in ("en", "ko"):
            status, _, body = srv.get(f"/port/3516?lang={lang}")
            assert status == 200
            served = Page(body.decode())
            exported = Page((site / lang / "port" / "3516.html").read_text())
            assert exported.lang == served.lang == lang
            # The same sections, less the vote; in place of the search box, a form that
            # only goes to a port's file (action-less: vote.js reads data-base).
            assert "vote" in served.ids and "/vote" in served.forms
            assert exported.ids == [i for i in served.ids if i not in ("vote", "vote-h")]
            assert exported.forms == [None]
            text = (site / lang / "port" / "3516.html").read_text()
            assert f'class="search port-jump" role="search" hidden data-base="../../{lang}/port/"' \
                in text
        status, _, body = srv.get("/api/v1/ports/3516")
        assert json.loads((site / "api/v1/ports/3516.json").read_text()) == json.loads(body)
    finally:
        srv.kill()
    rep = json.loads((site / "api/v1/ports/3516.json").read_text())
    assert "listening" not in rep
    # A publication states Linux's defaults, not the exporting machine's settings.
    assert rep["range"]["this_machine"] is False and rep["range"]["ephemeral"]["lo"] == 32768
    text = (site / "en" / "port" / "3516.html").read_text()
    assert "On Linux, by default, any user may listen" in text and "On this machine" not in text


def test_every_language_has_its_directory_and_menu(npm_db, tmp_path):
    site, p = export(tmp_path, "--db", npm_db, "--ports", "3516-3516", "--lang", "all")
    assert "pages in 12 languages" in p.stdout
    assert sorted(d.name for d in site.iterdir() if d.is_dir() and d.name not in
                  ("api", "assets")) == sorted(LANGS)
    for lang in LANGS:
        doc = Page((site / lang / "port" / "3516.html").read_text())
        assert doc.lang == lang
        # The menu offers this page in every language.
        assert {f"../../{x}/port/3516.html" for x in LANGS} <= set(doc.links)
    root = Page((site / "index.html").read_text())
    assert root.lang == "en" and "en/range/registered.html" in root.links


def test_threads_write_the_same_tree(npm_db, tmp_path):
    trees = []
    for n in ("1", "3"):
        site, _ = export(tmp_path, "--db", npm_db, "--ports", "3100-3140", "--lang", "en,de",
                         "--threads", n, name=f"t{n}")
        trees.append({str(f.relative_to(site)): f.read_bytes()
                      for f in site.rglob("*") if f.is_file()})
    assert len(trees[0]) > 100 and trees[0] == trees[1]


def test_a_service_name_with_a_slash_gets_a_file(npm_db, tmp_path):
    site, _ = export(tmp_path, "--db", npm_db, "--ports", "211-211")
    f = site / "en" / "service" / "914c%2Fg.html"
    assert f.is_file() and "914c/g" in f.read_text()
    assert "../../en/service/914c%252Fg.html" in Page((site / "en/port/211.html").read_text()).links


def test_export_replaces_its_own_tree_only(npm_db, tmp_path):
    site, _ = export(tmp_path, "--db", npm_db, "--ports", "3100-3101")
    export(tmp_path, "--db", npm_db, "--ports", "3200-3200")
    assert (site / "en/port/3200.html").is_file() and not (site / "en/port/3100.html").exists()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    _, p = export(tmp_path, "--db", npm_db, "--ports", "1-1", name="mine", check=2)
    assert "not a portolan export" in p.stderr and (foreign / "notes.txt").read_text() == "keep me"
    (tmp_path / "file").write_text("x")
    _, p = export(tmp_path, "--db", npm_db, name="file", check=2)
    assert "not a directory" in p.stderr
    _, p = export(tmp_path, "--db", tmp_path / "file", name="other", check=2)
    assert not (tmp_path / "other").exists()
    assert not [x for x in os.listdir(tmp_path) if ".tmp-" in x]


def test_an_interrupted_export_leaves_dir_as_it_was(npm_db, tmp_path):
    site, _ = export(tmp_path, "--db", npm_db, "--ports", "3100-3100")
    before = sorted(str(f.relative_to(site)) for f in site.rglob("*"))
    p = subprocess.Popen([BIN, "export", "--db", str(npm_db), "--lang", "all", str(site)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Wait until it is writing ports (its temporary tree has some), then interrupt.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
            len(list((t / "api/v1/ports").glob("*.json"))) > 20
            for t in tmp_path.glob("site.tmp-*") if (t / "api/v1/ports").is_dir()):
        time.sleep(0.02)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 3 and "interrupted" in err, (p.returncode, err)
    assert sorted(str(f.relative_to(site)) for f in site.rglob("*")) == before
    assert not list(tmp_path.glob("site.tmp-*"))


def test_a_full_disk_leaves_nothing_behind(npm_db, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                                            str(small)], capture_output=True).returncode != 0:
        pytest.skip("needs root and tmpfs to fill a disk")
    try:
        _, p = export(small, "--db", npm_db, "--ports", "3000-3300", check=3)
        assert re.search(r"/\d+\.(html|json): No space left on device", p.stderr), p.stderr
        assert os.listdir(small) == []
    finally:
        subprocess.run(["umount", str(small)], check=True)


@pytest.mark.parametrize("args,message", [
    (["--lang", "xx"], 'no catalog for "xx"'),
    (["--lang", "en,en"], 'given twice'),
    (["--lang", "en,"], "not a list of language codes"),
    (["--ports", "5-3"], "not LO-HI"),
    (["--ports", "70000"], "not LO-HI"),
    (["--threads", "0"], "--threads takes 1 to 16"),
    (["--base-url", "ftp://example.org/"], "does not start with https:// or http://"),
    (["--base-url", "https://example.org/?lang=en"], "has no query or fragment"),
])
def test_bad_options_are_refused(npm_db, tmp_path, args, message):
    _, p = export(tmp_path, "--db", npm_db, *args, check=2)
    assert message in p.stderr
    assert not (tmp_path / "site").exists()


SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_a_base_url_gives_canonical_links_and_a_sitemap(npm_db, tmp_path):
    base = "https://ports.example.org/docs/"
    site, _ = export(tmp_path, "--db", npm_db, "--ports", "205-215", "--lang", "en,ko",
                     "--base-url", base.rstrip("/"))  # 211's 914c/g makes a file with a '%'

    def url(rel):  # a file's public URL: its name's '%' is "%25" in a URL
        return base + urllib.parse.quote(str(rel))

    # Every page of the language directories is in the sitemap, and nothing else.
    locs = []
    for loc in ET.parse(site / "sitemap.xml").getroot().findall("s:sitemap/s:loc", SITEMAP):
        assert loc.text.startswith(base)
        part = ET.parse(site / loc.text[len(base):]).getroot()
        locs += [u.text for u in part.findall("s:url/s:loc", SITEMAP)]
    files = [f.relative_to(site) for f in pages(site) if f.parent != site]
    assert any("%" in str(f) for f in files)  # a service name that needed encoding
    assert sorted(locs) == sorted(url(f) for f in files)

    # Each page names itself canonical and its other language, with x-default the first.
    for f in files:
        lang, rest = str(f).split("/", 1)
        links = Page((site / f).read_text()).head_links
        assert ("canonical", None, url(f)) in links
        alternates = {h: href for rel, h, href in links if rel == "alternate"}
        assert alternates == {"en": url(f"en/{rest}"), "ko": url(f"ko/{rest}"),
                              "x-default": url(f"en/{rest}")}, f
    root = Page((site / "index.html").read_text()).head_links
    assert ("canonical", None, base + "en/index.html") in root

    # The not-found page is served at any depth: its links start from the public URL.
    links = [x for x in Page((site / "404.html").read_text()).links if not x.startswith("#")]
    assert links and all(x.startswith(base) for x in links), links
    assert not [x for x in Page((site / "404.html").read_text()).head_links if x[0] == "canonical"]
    assert (site / "robots.txt").read_text() == (
        "User-agent: *\nDisallow:\nSitemap: https://ports.example.org/docs/sitemap.xml\n")


def test_without_a_base_url_no_absolute_links(npm_db, tmp_path):
    site, _ = export(tmp_path, "--db", npm_db, "--ports", "3516-3516", "--lang", "en,ko")
    assert not (site / "sitemap.xml").exists() and not (site / "robots.txt").exists()
    for f in pages(site):
        links = Page(f.read_text()).head_links
        assert not [x for x in links if x[0] in ("canonical", "alternate")], f


def test_a_directory_is_required(npm_db):
    p = run("export", "--db", npm_db, check=2)
    assert "give a directory" in p.stderr
    p = run("export", "--db", npm_db, "", check=2)
    assert "give a directory" in p.stderr


def test_a_trailing_slash_names_the_same_directory(npm_db, tmp_path):
    run("export", "--db", npm_db, "--ports", "1-2", "--quiet", f"{tmp_path}/site/", check=0)
    run("export", "--db", npm_db, "--ports", "3-3", "--quiet", f"{tmp_path}/site//", check=0)
    assert (tmp_path / "site/en/port/3.html").is_file()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["site"]
