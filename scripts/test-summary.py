#!/usr/bin/env python3
"""scripts/test-summary.py - the last word of scripts/test.sh.

Counts passed, failed and skipped tests over every run scripts/test.sh made
(pytest's JUnit XML, cmocka's console output, node --test's TAP output),
lists every skip with its reason, and fails when a test failed or when a
skip is not on the allowlist (tests/skip-allowlist.txt) with a reason: a
skip hides an untested path, so each one must be a known, explained
limitation of the machine ("BPF needs root"), never a missing file.

usage: scripts/test-summary.py RESULTS_DIR ALLOWLIST
    RESULTS_DIR holds <run>.junit.xml (pytest), <run>.cmocka.log and
    <run>.tap (node --test --test-reporter=tap); the run is the file's stem.
The last line is exactly "summary: N passed, N failed, N skipped".
Exit status: 0 clean, 1 a failure or an unlisted skip.
"""
import fnmatch
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

CMOCKA = re.compile(r"^\[ *(RUN|OK|SKIPPED|FAILED|ERROR) *\] (\S+)$")


def pytest_results(path):
    """(id, outcome, reason) for each test case of a JUnit XML file."""
    for case in ET.parse(path).getroot().iter("testcase"):
        mod = case.get("classname", "").replace(".", "/")
        tid = f"{mod}.py::{case.get('name')}"
        if case.find("skipped") is not None:
            s = case.find("skipped")
            yield tid, "skipped", s.get("message") or s.text or ""
        elif case.find("failure") is not None or case.find("error") is not None:
            yield tid, "failed", ""
        else:
            yield tid, "passed", ""


def cmocka_results(path):
    """cmocka's console format: `[ RUN      ] name` then `[       OK ] name`
    (or SKIPPED, FAILED, ERROR); a test that started and never finished (the
    binary crashed) failed.  `== build/tests/test_x` lines (make unit) name
    the binary."""
    binary, pending = "?", None
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("== "):
            binary = pathlib.Path(line[3:].strip()).name
            continue
        m = CMOCKA.match(line.strip())
        if not m:
            continue
        status, name = m.groups()
        if status == "RUN":
            if pending:
                yield f"tests/unit/{binary}.c::{pending}", "failed", "did not finish"
            pending = name
        elif name == pending:
            pending = None
            yield (f"tests/unit/{binary}.c::{name}",
                   {"OK": "passed", "SKIPPED": "skipped"}.get(status, "failed"), "")
    if pending:
        yield f"tests/unit/{binary}.c::{pending}", "failed", "did not finish"


def tap_results(path):
    """node --test's TAP: top-level `ok N - name # SKIP reason` lines (the
    indented ones are subtests, counted through their parent)."""
    for line in path.read_text(errors="replace").splitlines():
        m = re.match(r"^(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO)\b ?(.*))?$", line)
        if not m:
            continue
        ok, name, directive, reason = m.groups()
        tid = f"tests/browser::{name}"
        if directive == "SKIP":
            yield tid, "skipped", reason or ""
        else:
            yield tid, "passed" if ok == "ok" else "failed", ""


def allowlist(path):
    """`test id (fnmatch pattern) | reason` per line; # comments."""
    out = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pattern, sep, reason = line.partition(" | ")
        if not sep or not reason.strip():
            sys.exit(f"{path}:{n}: expected `test id | reason`")
        out.append((pattern.strip(), reason.strip()))
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: scripts/test-summary.py RESULTS_DIR ALLOWLIST")
    results, allowed = pathlib.Path(sys.argv[1]), allowlist(pathlib.Path(sys.argv[2]))
    readers = {".xml": pytest_results, ".log": cmocka_results, ".tap": tap_results}
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    bad = False
    for f in sorted(results.iterdir()) if results.is_dir() else []:
        reader = readers.get(f.suffix)
        if reader is None:
            continue
        run = f.name.split(".")[0]
        counts = {"passed": 0, "failed": 0, "skipped": 0}
        try:
            rows = list(reader(f))
        except ET.ParseError as exc:  # pytest killed mid-write
            rows = [(f.name, "failed", f"unreadable: {exc}")]
        for tid, outcome, reason in rows:
            counts[outcome] += 1
            if outcome == "failed":
                print(f"FAILED   [{run}] {tid} {reason}".rstrip())
            elif outcome == "skipped":
                why = next((r for p, r in allowed if fnmatch.fnmatchcase(tid, p)), None)
                if why is None:
                    bad = True
                    print(f"SKIPPED  [{run}] {tid}: {reason}  -- NOT on the allowlist")
                else:
                    print(f"skipped  [{run}] {tid}: {why}")
        print(f"{run}: {counts['passed']} passed, {counts['failed']} failed, "
              f"{counts['skipped']} skipped")
        for k in totals:
            totals[k] += counts[k]
    print(f"summary: {totals['passed']} passed, {totals['failed']} failed, "
          f"{totals['skipped']} skipped")
    return 1 if bad or totals["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
