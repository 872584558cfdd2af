#!/bin/bash
# The manual page as an admin reads it: mandoc -Tlint clean, NAME that whatis/lexgrog reads as
# plain text, FILES at this build's prefix, and every command, every XINFANG_* variable the
# program reads and the desk's keys documented.
# Run: test_manpage.sh <built xinfang.1> <source root> <installed data dir>
set -u
man=$1 src=$2 datadir=$3
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

command -v mandoc >/dev/null || { echo "mandoc is not installed (apt-get install mandoc)"; exit 1; }
lint=$(mandoc -Tlint -Wall "$man" 2>&1) || true
[[ -z $lint ]] || fail "mandoc -Tlint: $lint"

# NAME: what whatis shows, with no escape left unread.
if command -v lexgrog >/dev/null; then
    name=$(lexgrog "$man")
    [[ $name == *'"xinfang - '* ]] || fail "lexgrog reads NAME as: $name"
    [[ $name != *'\['* && $name != *'[u'* ]] || fail "NAME holds an escape whatis shows raw: $name"
fi
sed -n '/^\.SH NAME/,/^\.SH/p' "$man" | grep -q '\\\[' && fail "NAME uses \\[..] escapes"

text=$(mandoc -Tutf8 -Owidth=100 "$man" | sed $'s/.\b//g')

# FILES names this build's data directory, not another prefix's.
grep -qF "$datadir/forms/" <<<"$text" || fail "FILES does not name $datadir/forms/"
if [[ $datadir != /usr/share/xinfang ]] && grep -qF "/usr/share/xinfang" <<<"$text"; then
    fail "FILES names /usr/share/xinfang on a build for $datadir"
fi

# Every command of --help.
commands=$("$XINFANG_BIN" --help | sed '/^登记的键/,$d' | sed -n 's/^  \([a-z]\+\)\b.*/\1/p' | sort -u)
for c in $commands; do
    grep -qE "(^|[^a-z_])$c([^a-z_]|$)" <<<"$text" || fail "command $c is not in the manual"
done
# Options the issue found missing, and every XINFANG_* variable the program reads.
for w in id_type --admin NO_COLOR XINFANG_MONO XINFANG_PAGE_LINES XINFANG_PAGE_COLUMNS line_end --new-anchor \
    --dry-run --explain; do
    grep -qF -- "$w" <<<"$text" || fail "$w is not in the manual"
done
for v in $(grep -rhoE '"XINFANG_[A-Z_]+"' "$src/src" | tr -d '"' | sort -u); do
    grep -qF "$v" <<<"$text" || fail "environment variable $v is not in the manual"
done
# The desk's keys.
for k in F1 F2 F3 F4 F5 F6 F10 Ctrl-J Ctrl-U Tab Esc; do
    grep -qF -- "$k" <<<"$text" || fail "desk key $k is not in the manual"
done

if ((failures > 0)); then
    echo "$failures manual check(s) failed"
    exit 1
fi
echo "manual: all checks passed"
