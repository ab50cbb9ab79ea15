"""The report in the reader's language: the terminal follows --lang, else the
locale (LC_ALL, LC_MESSAGES, LANG), else English; JSON words follow --lang with
the codes unchanged; curated notes, uses and history come in the reader's
language where data/ translates them and say so where it does not."""
import html
import re
import shutil
import socket

import pytest

from conftest import IANA_XML, ROOT, need, report, run

LANGS = ["hi", "id", "sv", "ko", "de", "fr", "es", "pt", "ja", "zh-Hans", "ru"]
SEEDS = ["3516", "3106", "3126", "2906"]
# Sections that are registry or bibliographic data, shown as the source wrote them.
DATA_SECTIONS = ("Registry:", "In other databases", "Related ports")


def sections(out):
    """The output cut where an unindented line follows a blank one (a heading)."""
    parts, cur, blank = [], [], True
    for line in out.splitlines():
        if line and not line.startswith(" ") and blank and cur:
            parts.append(cur)
            cur = []
        cur.append(line)
        blank = line == ""
    parts.append(cur)
    return parts


# English function words that the other ten Latin- or Cyrillic-script languages do not use
# as words of their own ("was" is German, "on" French, "by" Swedish: left out).
ENGLISH = set("""the and of is are with for that this it from not be have has which you your its
they what when would were than only most here been there their these those any into about
after before because to""".split())


def english_runs(lines):
    """Runs of three or more lowercase words of which two are English function words:
    sentences left untranslated.  Names (capitalised), ports, paths and URLs make no
    such run, nor do French, German or Indonesian sentences."""
    found = []
    for line in lines:
        if line.strip().startswith("http"):
            continue
        words = re.findall(r"[A-Za-z][A-Za-z']*|\S", line)
        run_ = []
        for w in words + ["."]:
            if re.fullmatch(r"[a-z][a-z']+", w):
                run_.append(w)
                continue
            if len(run_) >= 3 and sum(w in ENGLISH for w in run_) >= 2:
                found.append(" ".join(run_))
            run_ = []
    return found


def translated_sections(query, db, lang):
    """The sections of `portolan QUERY --lang LANG` that are ours to translate,
    paired with the English output's by position (the same report, the same order)."""
    en = sections(run(query, "--no-machine", db=db, check=0).stdout)
    tr = sections(run(query, "--no-machine", "--lang", lang, db=db, check=0).stdout)
    assert len(en) == len(tr), (lang, [s[0] for s in en], [s[0] for s in tr])
    return [t for e, t in zip(en, tr) if not e[0].startswith(DATA_SECTIONS)]


@pytest.mark.parametrize("query", SEEDS)
@pytest.mark.parametrize("lang", LANGS)
def test_no_english_sentence_left_in_a_seed_port(full_db, query, lang):
    secs = translated_sections(query, full_db, lang)
    lines = [l for s in secs for l in s]
    assert english_runs(lines) == [], (query, lang)
    assert not any("[in English]" in l for l in lines)  # nothing fell back
    # Short phrases the run test cannot see: the Sources section's own words.
    assert not any(re.search(r"\bas of\b|nothing here|days old", l) for l in lines), (query, lang)
    # The check itself finds English where there is English.
    en = [l for s in translated_sections(query, full_db, "en") for l in s]
    assert english_runs(en)


def test_locale_picks_the_language(full_db):
    ko = run("3516", "--no-machine", db=full_db, env={"LANG": "ko_KR.UTF-8"}, check=0).stdout
    assert "스마트카드 포트" in ko and "왜 중요한가요" in ko
    assert "\nSmartcard Port\n" not in ko and "registration prevents collisions" not in ko
    # LC_ALL outranks LANG, LC_MESSAGES outranks LANG.
    assert "स्मार्टकार्ड पोर्ट" in run("3516", "--no-machine", db=full_db, check=0,
                                   env={"LANG": "ko_KR.UTF-8", "LC_ALL": "hi_IN.UTF-8"}).stdout
    assert "Port för smartkort" in run("3516", "--no-machine", db=full_db, check=0,
                                       env={"LANG": "ko_KR.UTF-8",
                                            "LC_MESSAGES": "sv_SE.UTF-8"}).stdout
    # zh_CN is Simplified Chinese; zh_TW asks for traditional script, which we do not have.
    assert "智能卡端口" in run("3516", "--no-machine", db=full_db, check=0,
                            env={"LANG": "zh_CN.UTF-8"}).stdout
    assert "智能卡端口" not in run("3516", "--no-machine", db=full_db, check=0,
                                env={"LANG": "zh_TW.UTF-8"}).stdout


@pytest.mark.parametrize("lang", ["C", "POSIX", "C.UTF-8", "", "xx_YY.UTF-8", "en_GB.UTF-8"])
def test_english_stays_the_default(full_db, lang):
    out = run("3516", "--no-machine", db=full_db, env={"LANG": lang}, check=0).stdout
    assert "A registration prevents collisions even when the software is rare" in out
    assert "Smartcard Port" in out and "[in English]" not in out


def test_lang_flag_overrides_the_locale(full_db):
    hi = run("3516", "--no-machine", "--lang", "hi", db=full_db,
             env={"LANG": "ko_KR.UTF-8"}, check=0).stdout
    assert "स्मार्टकार्ड पोर्ट" in hi and "스마트카드" not in hi
    en = run("3516", "--no-machine", "--lang", "en", db=full_db,
             env={"LANG": "ko_KR.UTF-8"}, check=0).stdout
    assert "Smartcard Port" in en and "스마트카드" not in en
    bad = run("3516", "--lang", "klingon", db=full_db, check=2)
    assert "unknown language 'klingon'" in bad.stderr


def covers(ports, port):
    """Whether a stanza's ports: line ("27015", "27015-27030, 27036") covers PORT."""
    for item in ports.split(","):
        lo, _, hi = item.strip().partition("-")
        if int(lo) <= port <= int(hi or lo):
            return True
    return False


@pytest.fixture(scope="module")
def untranslated_db(tmp_path_factory):
    """The full database built from a copy of data/ in which 27015's game uses lost
    their translations: the shipped data may translate every use, and the tag for
    what is left in English must still show."""
    need(IANA_XML)
    tmp = tmp_path_factory.mktemp("untranslated")
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data)
    game = data / "unofficial" / "game.txt"
    stanzas = game.read_text(encoding="utf-8").split("\n\n")
    for i, st in enumerate(stanzas):
        ports = re.search(r"^ports: (.+)$", st, re.M)
        if ports and covers(ports.group(1), 27015):
            stanzas[i] = "\n".join(l for l in st.split("\n") if not l.startswith("text."))
    game.write_text("\n\n".join(stanzas), encoding="utf-8")
    db = tmp / "portolan.db"
    run("update", "--from", IANA_XML, "--data", data, "--quiet", db=db, check=0)
    return db


def test_untranslated_text_is_marked_in_the_terminal(untranslated_db):
    # 27015's unofficial uses (Steam and other games), stripped of their translations:
    # shown in English, each tagged in the reader's language.
    db = untranslated_db
    rep = report("27015", db, "--lang", "sv")
    english = [u for u in rep["uses"] if u["lang"] == "en"]
    assert english, "27015 has no game use left untranslated: pick another port"
    assert any(u["lang"] == "sv" for u in rep["uses"]), "other uses stay translated"
    # Its likely answer (the headline's "Most likely" line) too, when untranslated.
    english += [h for h in [rep["identity"]["headline"]] if h.get("lang") == "en"]
    out = run("27015", "--no-machine", "--lang", "sv", db=db, check=0,
              env={"COLUMNS": "1000"}).stdout  # one line each: a fold may split a tag
    assert out.count("[på engelska]") == len(english)
    assert english[0]["text"].split()[0] in out


def test_json_words_follow_lang_and_codes_do_not(full_db):
    en = report("3126", full_db)
    ko = report("3126", full_db, "--lang", "ko")
    assert en["lang"] == "en" and ko["lang"] == "ko"
    assert [c["code"] for c in en["concern"]["codes"]] == [c["code"] for c in ko["concern"]["codes"]]
    assert en["concern"]["codes"][0]["words"].startswith("unassigned at IANA")
    assert "IANA" in ko["concern"]["codes"][0]["words"]
    assert ko["concern"]["codes"][0]["words"] != en["concern"]["codes"][0]["words"]
    assert ko["range"]["classes"][0]["name"] == "registered"
    assert ko["range"]["classes"][0]["meaning"] != en["range"]["classes"][0]["meaning"]
    assert ko["frequency"]["class"] == en["frequency"]["class"]
    assert ko["why"].startswith("빈 포트는 숨 쉴 여유입니다")
    assert en["why"].startswith("Empty ports are breathing room")
    # Curated texts: translated where data/ has them, and saying which language they are in.
    assert ko["note"]["lang"] == "ko" and ko["note"]["title"].startswith("미할당")
    assert en["note"]["lang"] == "en" and en["note"]["markdown"] == \
        open("data/notes/3126.md", encoding="utf-8").read().split("---\n", 2)[2].lstrip("\n")
    assert ko["history"][0]["lang"] == "ko" and "Microsoft .NETster Port" in ko["history"][0]["text"]
    assert ko["uses"][0]["lang"] == "ko"


def test_why_it_matters_follows_the_port(full_db):
    assert report("22", full_db)["why"].startswith("Ports below 1024 are handed out only")
    assert report("3516", full_db)["why"].startswith("A registration prevents collisions")
    assert report("3126", full_db)["why"].startswith("Empty ports are breathing room")
    assert report("49200", full_db)["why"].startswith("Ports in this range belong to no one")


def export_lang_page(db, tmp_path, port, lang):
    out = tmp_path / f"site-{port}-{lang}"
    run("export", "--lang", lang, "--ports", f"{port}-{port}", str(out), db=db, check=0)
    return (out / lang / "port" / f"{port}.html").read_text(encoding="utf-8")


def test_a_korean_page_has_the_korean_note(full_db, tmp_path):
    page = export_lang_page(full_db, tmp_path, 3516, "ko")
    note = page.split('<article class="note"', 1)[1].split("</article>", 1)[0]
    assert "스마트카드 포트" in note and "PC/SC는 소켓이 아니라" in note
    assert not note.startswith(' lang="en"') and "in-en" not in note
    assert "IANA는 2002년 5월" in page and "IANA registered port 3516" not in page
    # Why it matters, from the port's class and status, in the page's language.
    assert '<p class="why">등록은 소프트웨어가 드물어도 충돌을 막아 줍니다.' in page


def test_a_page_without_a_korean_note_says_so(tmp_path):
    # Every note is translated today, so the case is built: the data without 7.ko.md.
    import shutil

    from conftest import IANA_XML

    data = tmp_path / "data"
    shutil.copytree("data", data)
    (data / "notes" / "7.ko.md").unlink()
    db = tmp_path / "portolan.db"
    run("update", "--from", IANA_XML, "--data", data, "--quiet", db=db, check=0)
    page = export_lang_page(db, tmp_path, 7, "ko")
    note = page.split('<article class="note"', 1)[1].split("</article>", 1)[0]
    assert note.startswith(' lang="en"><h3>')
    assert '<small class="in-en" lang="ko">영어 원문</small></h3>' in note
    # The same port with its Korean note has neither.
    full = tmp_path / "full.db"
    run("update", "--from", IANA_XML, "--quiet", db=full, check=0)
    (tmp_path / "b").mkdir()
    note = export_lang_page(full, tmp_path / "b", 7, "ko").split('<article class="note"', 1)[1]
    assert not note.startswith(' lang="en"') and "in-en" not in note.split("</article>")[0]


def test_the_api_words_follow_the_request_language(full_db, tmp_path):
    import json

    from test_web import Server

    s = Server(full_db, tmp_path / "votes.db", "--hide-machine")
    try:
        ko = json.loads(s.get("/api/v1/ports/3126?lang=ko")[2])
        en = json.loads(s.get("/api/v1/ports/3126")[2])
        pt = json.loads(s.get("/api/v1/ports/3126", headers={"Accept-Language": "pt-BR"})[2])
    finally:
        s.kill()
    assert (ko["lang"], en["lang"], pt["lang"]) == ("ko", "en", "pt")
    assert ko["note"]["lang"] == "ko" and en["note"]["lang"] == "en"
    assert ko["concern"]["codes"][0]["code"] == en["concern"]["codes"][0]["code"]
    assert ko["concern"]["codes"][0]["words"] != en["concern"]["codes"][0]["words"]
    assert pt["why"].startswith("Portas vazias são espaço para respirar")


def test_why_it_matters_notes_an_unexpected_listener(full_db):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = str(s.getsockname()[1])
        rep = report(port, full_db)
        assert rep["listening"]["listeners"]
        assert "an unexpected listener is worth a look" in rep["why"]
        ko = report(port, full_db, "--lang", "ko")
        assert "예상하지 못한 리스너는 살펴볼 가치가 있으니" in ko["why"]
    assert "unexpected listener" not in report(port, full_db, "--no-machine")["why"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_machine_section_speaks_the_language(full_db, lang):
    """Without --no-machine the 'on this machine now' lines are translated too."""
    with socket.socket() as s:  # a port that was free a moment ago and is free again
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = run(str(port), "--lang", lang, db=full_db, check=0).stdout
    if report(port, full_db)["listening"]["listeners"]:
        pytest.skip("something took the port meanwhile")
    assert "nothing listens on this port here" not in out
    assert "nothing listens on this port here" in run(str(port), db=full_db, check=0).stdout


def test_an_unknown_name_is_said_in_the_language(full_db):
    assert "nosuchservicexyz: nothing known" in run("nosuchservicexyz", db=full_db).stdout
    assert "nosuchservicexyz: 既知の情報はありません" in run("nosuchservicexyz", "--lang", "ja",
                                                        db=full_db).stdout


# The 30 ports nmap finds open most often (nmap-services frequency, tcp and udp together).
COMMON = [80, 631, 161, 137, 123, 138, 1434, 445, 135, 67, 23, 53, 443, 21, 139, 22, 500, 68,
          520, 1900, 25, 4500, 514, 49152, 162, 69, 5353, 111, 49154, 3389]


@pytest.mark.parametrize("lang", LANGS)
def test_the_common_ports_are_written_in_every_language(full_db, lang):
    """Note, uses and history of the 30 most common ports, the seeds and every other port
    with a note come in the language."""
    want = lang  # BCP 47, as the report writes it
    noted = {f.name.split(".")[0].split("-")[0] for f in (ROOT / "data" / "notes").glob("*.md")}
    for port in sorted(set(map(str, COMMON + SEEDS)) | noted, key=int):
        rep = report(str(port), full_db, "--no-machine", "--lang", lang)
        assert rep["note"] and rep["note"]["lang"] == want, (port, lang)
        for item in rep["uses"] + rep["history"]:
            assert item["lang"] == want, (port, lang, item["text"])


@pytest.mark.parametrize("lang", LANGS)
def test_no_english_sentence_left_in_a_common_port(full_db, lang):
    """The 30 most common ports too: notes, uses, likely answers and exposure risks."""
    for port in COMMON:
        lines = [l for s in translated_sections(str(port), full_db, lang) for l in s]
        assert english_runs(lines) == [], (port, lang)
        assert not any(re.search(r"\bas of\b|nothing here|days old", l) for l in lines), port


def test_check_data_counts_the_translations():
    import json

    md = run("check-data", "--counts", "--data", ROOT / "data", check=0).stdout
    assert ("| translated into | notes | unofficial uses | history claims | likely answers "
            "| exposure risks |") in md
    js = json.loads(run("check-data", "--counts", "--json", "--data", ROOT / "data",
                        check=0).stdout)
    assert sorted(js["translations"]) == sorted(l.replace("-", "_") for l in LANGS)
    for lang, n in js["translations"].items():
        assert n["notes"] == js["notes"] and n["history"] == js["history"], lang
        assert n["likely"] >= 25 and n["exposure"] >= 7 and n["uses"] >= 37, lang


def test_a_korean_page_has_the_korean_likely_answer_and_exposure(full_db, tmp_path):
    page = export_lang_page(full_db, tmp_path, 23, "ko")
    assert "요즘은 주로 로그인 프롬프트를 띄우는 라우터" in page  # likely.txt, text.ko
    assert "Mirai와 그 후속 봇넷은" in page  # exposure.txt, text.ko, in the concern reason
    assert "today mostly on routers" not in page and "Mirai and its successors" not in page
    assert '<span lang="en">Telnet sends' not in page
    page = export_lang_page(full_db, tmp_path, 6379, "ko")
    assert "Redis는 신뢰할 수 있는 클라이언트를 전제로" in page
    assert '<span lang="en">Redis is built' not in page
    rep = report("27015", full_db, "--lang", "ko")
    head = rep["identity"]["headline"]
    assert head["lang"] == "ko"
    assert head["text"] == "Counter-Strike, Team Fortress 2 등 Valve의 Source 엔진 게임 전용 서버."


def without_korean(data, file, english):
    """data/FILE with the text.ko: line of the stanza whose text: starts ENGLISH taken out."""
    path = data / file
    stanzas = path.read_text(encoding="utf-8").split("\n\n")
    hit = [i for i, s in enumerate(stanzas) if f"\ntext: {english}" in s]
    assert len(hit) == 1, (file, english)
    stanzas[hit[0]] = "\n".join(l for l in stanzas[hit[0]].split("\n")
                                 if not l.startswith("text.ko:"))
    path.write_text("\n\n".join(stanzas), encoding="utf-8")


def test_an_untranslated_likely_answer_and_exposure_say_so(tmp_path):
    # Every likely answer and exposure risk is translated today, so the case is built:
    # the data without the Korean of Redis's exposure risk and of 27015's likely answer.
    import shutil

    from conftest import IANA_XML

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    without_korean(data, "exposure.txt", "Redis is built for trusted clients")
    without_korean(data, "likely.txt", "Dedicated servers of Valve's Source engine games")
    db = tmp_path / "portolan.db"
    run("update", "--from", IANA_XML, "--data", data, "--quiet", db=db, check=0)
    # 6379's exposure risk (Redis): English, marked so.
    page = export_lang_page(db, tmp_path, 6379, "ko")
    assert re.search(r'<span lang="en">Redis is built for trusted clients[^<]*</span> '
                     r'<small class="in-en" lang="ko">영어 원문</small>', page)
    # 27015's likely answer: English, marked so.
    page = export_lang_page(db, tmp_path, 27015, "ko")
    rep = report("27015", db, "--lang", "ko")
    assert rep["identity"]["headline"]["lang"] == "en"
    text = html.escape(rep["identity"]["headline"]["text"], quote=True).replace("&#x27;", "&#39;")
    assert f'<p class="lead"><span lang="en">{text}</span> <small class="in-en" lang="ko">영어 원문</small>' in page
