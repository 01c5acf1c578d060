#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Teken developers
#
# Checks that po/id.po is valid (msgfmt --check) and complete: a fresh template is extracted
# from the files in po/POTFILES.in and merged into a temporary copy of id.po; the test fails
# when the merged catalog has untranslated or fuzzy messages, and lists them.
#
# Usage: check-po.sh [PROJECT_ROOT] [LANG…]   (default root: two levels above this script; LANG: id)
# Tools come from $XGETTEXT, $MSGMERGE, $MSGFMT, $MSGATTRIB or the PATH (Debian package gettext).

set -u
export LC_ALL=C.UTF-8

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
shift || true
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(id)

XGETTEXT="${XGETTEXT:-xgettext}"
MSGMERGE="${MSGMERGE:-msgmerge}"
MSGFMT="${MSGFMT:-msgfmt}"
MSGATTRIB="${MSGATTRIB:-msgattrib}"
for tool in "$XGETTEXT" "$MSGMERGE" "$MSGFMT" "$MSGATTRIB"; do
  command -v "$tool" >/dev/null || { echo "check-po: $tool not found (install gettext)" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/teken-check-po.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# The same extraction as the i18n.gettext() 'glib' preset plus the project's plural keywords.
if ! (cd "$root/po" && "$XGETTEXT" --files-from=POTFILES.in --directory=.. --from-code=UTF-8 \
        --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
        --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 --add-comments=translators \
        --package-name=teken -o "$tmp/teken.pot"); then
  echo "check-po: xgettext failed" >&2
  exit 1
fi

# Prints each msgid of a PO file on one line (the header entry is skipped), prefixed with $1.
list_msgids () {
  awk -v prefix="$1" '
    function flush () { if (id != "") print prefix id; id = ""; inid = 0 }
    /^msgid /        { flush(); inid = 1; sub(/^msgid "/, ""); sub(/"$/, ""); id = $0; next }
    /^"/ && inid     { s = $0; sub(/^"/, "", s); sub(/"$/, "", s); id = id s; next }
                     { if (inid) flush() }
    END              { flush() }'
}

status=0
for lang in "${langs[@]}"; do
  po="$root/po/$lang.po"
  if [ ! -r "$po" ]; then
    echo "$lang: $po is missing"
    status=1
    continue
  fi
  if ! "$MSGFMT" --check -o /dev/null "$po"; then
    echo "$lang: msgfmt --check failed on po/$lang.po"
    status=1
    continue
  fi

  merged="$tmp/$lang.po"
  if ! "$MSGMERGE" --quiet -o "$merged" "$po" "$tmp/teken.pot"; then
    echo "$lang: msgmerge failed"
    status=1
    continue
  fi
  stats=$("$MSGFMT" --check --statistics -o /dev/null "$merged" 2>&1) || { echo "$stats"; status=1; continue; }
  echo "$lang: $stats"

  translated=$(sed -n 's/^\([0-9][0-9]*\) translated message.*/\1/p' <<<"$stats")
  fuzzy=$(grep -oE '[0-9]+ fuzzy translation' <<<"$stats" | grep -oE '^[0-9]+')
  untranslated=$(grep -oE '[0-9]+ untranslated message' <<<"$stats" | grep -oE '^[0-9]+')
  if [ -z "$translated" ] || [ "$translated" -eq 0 ]; then
    echo "$lang: no translated messages"
    status=1
  fi
  if [ "${fuzzy:-0}" -gt 0 ] || [ "${untranslated:-0}" -gt 0 ]; then
    echo "$lang: ${untranslated:-0} untranslated and ${fuzzy:-0} fuzzy messages compared to the sources:"
    "$MSGATTRIB" --untranslated --no-obsolete "$merged" | list_msgids "  untranslated: "
    "$MSGATTRIB" --only-fuzzy --no-obsolete "$merged" | list_msgids "  fuzzy: "
    status=1
  fi
done
exit $status
