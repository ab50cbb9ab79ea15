#!/usr/bin/env bash
# Refresh the vendored copy of IANA's registry (data/iana/) for a maintainer
# to review and commit.
#
#   scripts/refresh-iana.sh [URL]
#
# Fetches the registry XML with portolan's own downloader (`portolan update
# --save`, so the file is what IANA served, byte for byte, and TLS, redirects
# and the size cap are the ones every user's update gets), builds a scratch
# database from it with the curated data to prove it imports, and only then
# replaces data/iana/service-names-port-numbers.xml.  Nothing is committed:
# the maintainer reads `git diff --stat data/iana`, updates the date in
# data/iana/README.md and commits.  The CSV (used by the CSV importer's
# tests only) is left as it is.
#
# URL defaults to IANA's (UPDATE_IANA_URL in src/registry/update.h).
# PORTOLAN_BIN names the binary to use (default build/portolan, built if
# missing); IANA_DIR the directory to write (default data/iana; the tests
# point it elsewhere).
set -euo pipefail
cd "$(dirname "$0")/.."

url=${1:-https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xml}
bin=${PORTOLAN_BIN:-build/portolan}
dir=${IANA_DIR:-data/iana}
dest=$dir/service-names-port-numbers.xml

[ -x "$bin" ] || make -j2 all >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/portolan-refresh.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The download and the import check in one step: --save keeps the file only
# once it has imported into the scratch database.
"$bin" update --from "$url" --save "$tmp/new.xml" --db "$tmp/check.db" --no-system --json \
	>"$tmp/result.json"
read -r as_of records people < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["registry_as_of"] or "unknown", r["records"], r["people"])' "$tmp/result.json")

mkdir -p "$dir"
if [ -f "$dest" ] && cmp -s "$tmp/new.xml" "$dest"; then
	echo "$dest: unchanged (registry as of $as_of)"
	exit 0
fi
# Same directory, then rename: a reader never sees half a file.
cp "$tmp/new.xml" "$dest.tmp"
mv "$dest.tmp" "$dest"
echo "$dest: registry as of $as_of, $records records, $people people"
echo "Review with: git diff --stat $dir; then set the date in $dir/README.md and commit."
