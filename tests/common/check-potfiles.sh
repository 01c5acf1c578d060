#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Teken developers
#
# Checks po/POTFILES.in against the tree: every file in src/, ui/ and data/ with translatable
# strings is listed, every listed file exists and still has translatable strings, and the list
# is sorted (LC_ALL=C) without duplicates. Exits non-zero and names the offending files.
#
# Usage: check-potfiles.sh [PROJECT_ROOT]   (default: two levels above this script)

set -u
export LC_ALL=C

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
potfiles="$root/po/POTFILES.in"
cd "$root" || { echo "check-potfiles: cannot enter $root" >&2; exit 2; }
[ -r "$potfiles" ] || { echo "check-potfiles: $potfiles is missing" >&2; exit 2; }

# A gettext call with a literal string: _("…"), N_("…"), C_("ctx", "…"), NC_(…), plural calls.
c_pattern='(^|[^A-Za-z0-9_])(_|N_|C_|NC_) ?\( *"|(^|[^A-Za-z0-9_])(g_dngettext|dngettext|ngettext|g_dpgettext2?) ?\('
ui_pattern='translatable="yes"'

has_strings () {
  case "$1" in
    *.c|*.h) grep -qE "$c_pattern" "$1" ;;
    *.ui) grep -q "$ui_pattern" "$1" ;;
    # Files xgettext reads through its ITS rules: every such file carries translatable text.
    *.desktop.in) grep -qE '^(Name|GenericName|Comment|Keywords)=' "$1" ;;
    *.metainfo.xml.in|*.appdata.xml.in) grep -qE '<(name|summary|p|li|caption)[ >]' "$1" ;;
    *.gschema.xml) grep -qE '<(summary|description)>' "$1" ;;
    *) return 1 ;;
  esac
}

status=0
listed=$(grep -vE '^[[:space:]]*(#|$)' "$potfiles")
declare -A is_listed=()
while IFS= read -r f; do
  [ -n "$f" ] && is_listed["$f"]=1
done <<<"$listed"

# 1. Files with translatable strings that POTFILES.in does not list.
missing=()
while IFS= read -r f; do
  has_strings "$f" || continue
  [ -n "${is_listed[$f]:-}" ] || missing+=("$f")
done < <(find src ui data -type f \( -name '*.c' -o -name '*.h' -o -name '*.ui' \
           -o -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.appdata.xml.in' \
           -o -name '*.gschema.xml' \) 2>/dev/null | sort)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Files with translatable strings missing from po/POTFILES.in:"
  printf '  %s\n' "${missing[@]}"
  status=1
fi

# 2. Listed files that do not exist or no longer have translatable strings.
stale=()
while IFS= read -r f; do
  [ -n "$f" ] || continue
  if [ ! -f "$f" ]; then
    stale+=("$f (does not exist)")
  elif ! has_strings "$f"; then
    stale+=("$f (no translatable strings)")
  fi
done <<<"$listed"
if [ ${#stale[@]} -gt 0 ]; then
  echo "Stale entries in po/POTFILES.in:"
  printf '  %s\n' "${stale[@]}"
  status=1
fi

# 3. Sorted, no duplicates.
dups=$(sort <<<"$listed" | uniq -d)
if [ -n "$dups" ]; then
  echo "Duplicate entries in po/POTFILES.in:"
  sed 's/^/  /' <<<"$dups"
  status=1
fi
if ! sort -c <<<"$listed" 2>/dev/null; then
  echo "po/POTFILES.in is not sorted (LC_ALL=C sort); the first entry out of order:"
  sort -c <<<"$listed" 2>&1 | sed 's/^/  /'
  status=1
fi

if [ $status -eq 0 ]; then
  echo "po/POTFILES.in lists all $(wc -l <<<"$listed") files with translatable strings"
fi
exit $status
