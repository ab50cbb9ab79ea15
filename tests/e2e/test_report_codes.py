"""The report's machine-readable companions of its English sentences.

frequency.class/one_in sit beside frequency.words, and concern.codes is
parallel to concern.reasons, so a program (or the translated web page)
never has to parse English.  The sentences themselves must not change.
"""
import pytest

from conftest import report

CLASSES = {"very-common", "common", "uncommon", "rare", "very-rare", "almost-never", "never",
           "unlisted"}


def need_nmap(rep):
    if not any(s["kind"] == "nmap-services" for s in rep["sources"]):
        pytest.skip("nmap-services is not installed")


def test_frequency_class_and_one_in_match_the_words(full_db):
    rep = report("80", full_db)
    need_nmap(rep)
    freq = rep["frequency"]
    assert freq["class"] == "very-common" and freq["one_in"] == 2
    assert freq["words"] == "very common: open on about 1 in 2 scanned hosts"
    for x in freq["per_protocol"]:
        assert x["class"] in CLASSES
        if x["open_frequency"] == 0:
            assert x["class"] == "never" and x["one_in"] is None
        else:
            assert isinstance(x["one_in"], int) and x["one_in"] >= 1
            assert f"1 in {x['one_in']:,} " in x["words"]
    assert {x["protocol"]: x["class"] for x in freq["per_protocol"]}["udp"] == "common"


def test_frequency_unlisted(full_db):
    freq = report("3126", full_db)["frequency"]
    assert freq["class"] == "unlisted" and freq["one_in"] is None
    assert freq["open_frequency"] is None and freq["per_protocol"] == []


def test_range_has_no_frequency(full_db):
    assert report("6000-6003", full_db)["frequency"] is None


def test_concern_codes_carry_their_words(full_db):
    # portolan.report/2: each reason is one object, its words beside its data.
    rep = report("31337", full_db)
    c = rep["concern"]
    assert "reasons" not in c and len(c["codes"]) > 0
    for code in c["codes"]:
        assert {"code", "who", "text", "level", "protocols", "sources", "words"} <= set(code)
        assert code["code"] == "malware" and code["level"] == "high"
        assert code["words"] == "associated with malware: " + code["who"]
    assert any("Back Orifice" in x["who"] for x in c["codes"])


def test_concern_codes_unauthorized_unassigned_scanner(full_db):
    c = report("79", full_db)["concern"]
    assert [x["code"] for x in c["codes"]] == ["unauthorized"]
    assert c["codes"][0]["who"] == "" and "RFC4146" in c["codes"][0]["text"]
    assert c["codes"][0]["words"] == "IANA records unauthorized use: " + c["codes"][0]["text"]
    c = report("3126", full_db)["concern"]
    assert [x["code"] for x in c["codes"]] == ["unassigned-used"]
    assert c["codes"][0]["words"] == ("unassigned at IANA, and used by " + c["codes"][0]["who"] +
                                      ": ordinary software is no reason for concern by itself")
    c = report("2323", full_db)["concern"]
    assert [x["code"] for x in c["codes"]] == ["malware", "exposure", "scanner"]
    assert c["codes"][2]["words"] == ("a common target of Internet scanners: " +
                                      c["codes"][2]["who"])


def test_no_concern_no_codes(full_db):
    c = report("3516", full_db)["concern"]
    assert c["level"] == "none" and c["codes"] == []
