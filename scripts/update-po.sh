#!/usr/bin/env bash
# Extract the site's strings into po/portolan.pot, merge them into every
# po/<lang>.po, and validate each catalog with msgfmt (Debian: gettext).
#
#   scripts/update-po.sh           extract, merge, validate
#   scripts/update-po.sh --check   validate only; fail when a catalog lacks a
#                                  msgid of a fresh extraction or has a fuzzy
#                                  or untranslated entry (what CI wants)
#
# msgids are the literal arguments of i18n_text(t, "...") and
# i18n_ntext(t, "...", "...", n) in src/render/ and src/web/, also when
# written through html_page.h's macros _(t, "...") and N_(t, "...", "...", n)
# (hence the keywords _:2 and N_:2,3).  The .pot carries no date, so
# re-running on unchanged sources changes nothing; locations name the file
# without a line, so editing a page does not churn every catalog.  PODIR
# (default po) points the script at another copy of the catalogs, as the
# tests do.
set -euo pipefail
cd "$(dirname "$0")/.."
PODIR=${PODIR:-po}
shopt -s nullglob

check=0
[ "${1:-}" = "--check" ] && check=1

extract() {
	xgettext --language=C --from-code=UTF-8 --force-po --sort-by-file --add-location=file \
		--keyword --keyword=_:2 --keyword=N_:2,3 --keyword=i18n_text:2 --keyword=i18n_ntext:2,3 \
		--add-comments=TRANSLATORS: --package-name=portolan \
		--msgid-bugs-address="portolan's issue tracker" \
		-o "$1" $(ls src/render/*.c src/web/*.c 2>/dev/null)
	# A fixed header date keeps the .pot stable between runs.
	sed -i 's/^"POT-Creation-Date: .*\\n"$/"POT-Creation-Date: 2026-01-01 00:00+0000\\n"/' "$1"
}

status=0
if [ $check -eq 1 ]; then
	pot=$(mktemp --suffix=.pot)
	trap 'rm -f "$pot"' EXIT
	extract "$pot"
	# The committed template holds exactly the msgids of the sources.
	if ! msgcmp --use-untranslated "$PODIR/portolan.pot" "$pot" ||
		! msgcmp --use-untranslated "$pot" "$PODIR/portolan.pot"; then
		echo "$PODIR/portolan.pot is stale: run scripts/update-po.sh" >&2
		status=1
	fi
	for po in "$PODIR"/*.po; do
		# msgcmp: every msgid of the fresh extraction has a non-fuzzy translation.
		if ! msgcmp "$po" "$pot" 2>&1; then
			status=1
		fi
		fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
		if [ "$fuzzy" -ne 0 ]; then
			echo "$po: $fuzzy fuzzy entries (review them and drop the fuzzy flag)" >&2
			status=1
		fi
		msgfmt -c --check-format -o /dev/null "$po" || status=1
	done
	exit $status
fi

extract "$PODIR/portolan.pot"
for po in "$PODIR"/*.po; do
	msgmerge --quiet --update --backup=none --previous "$po" "$PODIR/portolan.pot"
	msgfmt -c --check-format --statistics -o /dev/null "$po" || status=1
done
exit $status
