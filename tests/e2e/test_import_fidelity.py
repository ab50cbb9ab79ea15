"""Importing the real registry reproduces every record, field by field.

The expected values come from an independent parse: Python's xml.etree for
the XML and the csv module for the CSV, following the mapping documented in
src/registry/import_xml.h (IANA's own CSV form).  The database is read with
Python's sqlite3, not through portolan, so nothing here trusts the code
under test to report on itself.
"""
import csv
import re
import sqlite3
import xml.etree.ElementTree as ET

from conftest import IANA_CSV, IANA_XML, need

NS = "{http://www.iana.org/assignments}"
FIELDS = ("service", "port_lo", "port_hi", "protocol", "description", "assignee", "contact",
          "registered", "modified", "reference", "service_code", "unauthorized", "notes")


def tidy(s):
    # IANA's CSV export joins "text \n    more" into "text more" and trims the ends.
    return re.sub(r"[ \t]+\n[ \t]+", " ", s).strip(" \t\r\n")


def render_xref(x):
    # An xref with its own text ("RFC8765, Section 6.1") is cited by that text.
    t, data, text = x.get("type"), x.get("data") or "", (x.text or "").strip()
    if text:
        return f"[{text}]"
    return f"[{data.upper()}]" if t == "rfc" else f"[{data}]"


def text_of(el):
    """Element text with inline xrefs rendered and <br/> dropped."""
    if el is None:
        return ""
    out = [el.text or ""]
    for child in el:
        tag = child.tag.replace(NS, "")
        if tag == "xref":
            out.append(render_xref(child))
        elif tag != "br":
            out.append(text_of(child))
        out.append(child.tail or "")
    return tidy("".join(out))


def expected_xml_records():
    root = ET.parse(IANA_XML).getroot()
    for rec in root.iter(NS + "record"):
        number = (rec.findtext(NS + "number") or "").strip()
        lo = hi = None
        if number:
            a, _, b = number.partition("-")
            lo, hi = int(a), int(b or a)
        contact = "".join(f"[{x.get('data')}]" for x in rec.findall(NS + "xref")
                          if x.get("type") == "person")
        assignee_el = rec.find(NS + "assignee")
        assignee = contact if assignee_el is None else "".join(
            f"[{x.get('data')}]" for x in assignee_el.findall(NS + "xref"))
        reference = tidy("".join(render_xref(x) for x in rec.findall(NS + "xref")
                                 if x.get("type") != "person"))
        yield (text_of(rec.find(NS + "name")), lo, hi,
               (rec.findtext(NS + "protocol") or "").strip().lower(),
               text_of(rec.find(NS + "description")), assignee, contact,
               rec.get("date", ""), rec.get("updated", ""), reference,
               text_of(rec.find(NS + "sc")), text_of(rec.find(NS + "unauthorized")),
               text_of(rec.find(NS + "note")))


def stored_records(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(f"SELECT {', '.join(FIELDS)} FROM record ORDER BY id").fetchall()
    con.close()
    return rows


def compare(expected, stored):
    assert len(stored) == len(expected)
    bad = [(i, e, s) for i, (e, s) in enumerate(zip(expected, stored)) if tuple(e) != tuple(s)]
    detail = [
        {f: (ev, sv) for f, ev, sv in zip(FIELDS, e, s) if ev != sv} for _, e, s in bad[:5]
    ]
    assert not bad, f"{len(bad)} records differ, first: {detail}"


def test_xml_every_record_matches_an_independent_parse(xml_db):
    expected = list(expected_xml_records())
    assert len(expected) == 14533
    compare(expected, stored_records(xml_db))


def test_xml_every_person_matches(xml_db):
    root = ET.parse(IANA_XML).getroot()
    expected = {}
    for p in root.iter(NS + "person"):
        expected[p.get("id")] = tuple(tidy(p.findtext(NS + k) or "")
                                      for k in ("name", "org", "uri", "updated"))
    con = sqlite3.connect(f"file:{xml_db}?mode=ro", uri=True)
    stored = {r[0]: tuple(r[1:]) for r in
              con.execute("SELECT id, name, org, uri, updated FROM person")}
    con.close()
    assert len(expected) == 5615
    assert stored == expected


def test_xml_registry_date_is_the_source_date(xml_db):
    con = sqlite3.connect(f"file:{xml_db}?mode=ro", uri=True)
    (as_of,) = con.execute("SELECT as_of FROM source WHERE kind = 'iana-xml'").fetchone()
    con.close()
    assert as_of == "2026-08-17"


def test_csv_every_row_matches_the_csv_module(csv_db):
    need(IANA_CSV)
    with open(IANA_CSV, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert len(header) == 12
        expected = []
        for row in reader:
            row = [c.strip(" \t\r\n") for c in row]
            name, number, proto = row[0], row[1], row[2]
            lo = hi = None
            if number:
                a, _, b = number.partition("-")
                lo, hi = int(a), int(b or a)
            expected.append((name, lo, hi, proto.lower(), *row[3:]))
    assert len(expected) == 14500
    compare(expected, stored_records(csv_db))


def test_xml_and_csv_agree_where_the_registry_did_not_change(xml_db, csv_db):
    """Same registry, two formats, six months apart: most rows must be identical."""
    xml_rows = set(stored_records(xml_db))
    csv_rows = set(stored_records(csv_db))
    common = xml_rows & csv_rows
    assert len(common) > 14000, len(common)
