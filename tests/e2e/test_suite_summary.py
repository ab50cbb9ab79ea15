"""scripts/test-summary.py, the last line of scripts/test.sh: it counts what
real pytest, cmocka and node --test runs report, and fails on a failure or
on a skip that is not on the allowlist with a reason."""
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

SUMMARY = ROOT / "scripts" / "test-summary.py"

PY_TESTS = """
import pytest
def test_ok(): pass
def test_broken(): assert False
@pytest.mark.skipif(True, reason="BPF needs root")
def test_bpf(): pass
def test_no_file(): pytest.skip("data.xml is not here")
"""

C_TESTS = r"""
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
static void test_ok(void **s) { (void)s; }
static void test_bpf(void **s) { (void)s; skip(); }
int main(void) {
	const struct CMUnitTest t[] = {cmocka_unit_test(test_ok), cmocka_unit_test(test_bpf)};
	return cmocka_run_group_tests(t, NULL, NULL);
}
"""

JS_TESTS = """
import { test } from 'node:test';
test('page renders', () => {});
test('phone width', { skip: 'no chromium' }, () => {});
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """One real run of each runner, its results where scripts/test.sh keeps them."""
    if not shutil.which("cc") or not shutil.which("node"):
        pytest.skip("needs cc (with libcmocka-dev) and node: scripts/setup.sh installs them")
    tmp = tmp_path_factory.mktemp("summary")
    res = tmp / "results"
    res.mkdir()
    (tmp / "test_sample.py").write_text(PY_TESTS)
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    f"--junitxml={res / 'e2e.junit.xml'}", "test_sample.py"], cwd=tmp,
                   capture_output=True)
    (tmp / "test_c.c").write_text(C_TESTS)
    subprocess.run(["cc", "-o", tmp / "test_c", tmp / "test_c.c", "-lcmocka"], check=True)
    c = subprocess.run([tmp / "test_c"], capture_output=True, text=True)
    (res / "unit.cmocka.log").write_text("== build/tests/test_c\n" + c.stdout + c.stderr)
    (tmp / "a.test.mjs").write_text(JS_TESTS)
    subprocess.run(["node", "--test", "--test-reporter=tap",
                    f"--test-reporter-destination={res / 'browser.tap'}", "a.test.mjs"],
                   cwd=tmp, capture_output=True)
    return res


def summary(results, tmp_path, allow):
    (tmp_path / "allow.txt").write_text(allow)
    return subprocess.run([sys.executable, SUMMARY, results, tmp_path / "allow.txt"],
                          capture_output=True, text=True)


def test_counts_every_runner_and_fails_on_a_failure(results, tmp_path):
    p = summary(results, tmp_path, "*::test_bpf | BPF needs root\n"
                "tests/browser::phone width | no chromium\n*::test_no_file | x\n")
    # pytest 1 passed 1 failed 2 skipped; cmocka 1 and 1 skipped; node 1 and 1 skipped.
    assert p.stdout.splitlines()[-1] == "summary: 3 passed, 1 failed, 4 skipped"
    assert p.returncode == 1
    assert "FAILED   [e2e] test_sample.py::test_broken" in p.stdout


def test_a_skip_off_the_allowlist_fails(results, tmp_path):
    p = summary(results, tmp_path, "*::test_bpf | BPF needs root\n")
    assert p.returncode == 1
    lines = [l for l in p.stdout.splitlines() if "NOT on the allowlist" in l]
    assert len(lines) == 2
    assert "tests/browser::phone width: no chromium" in lines[0]  # runs in file order
    assert "test_sample.py::test_no_file: data.xml is not here" in lines[1]
    assert "skipped  [unit] tests/unit/test_c.c::test_bpf: BPF needs root" in p.stdout


def test_an_entry_needs_a_reason(results, tmp_path):
    p = summary(results, tmp_path, "*::test_bpf\n")
    assert p.returncode != 0 and "expected `test id | reason`" in p.stderr
