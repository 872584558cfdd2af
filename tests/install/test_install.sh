#!/bin/sh
# Installed like a Debian tool: `meson install --destdir` into a temporary directory, then the
# installed program runs `init` and `print` with the source and build trees out of its reach
# (no XINFANG_DATA or XINFANG_FORMS, and strace shows it never opens a file under either), and
# the man page, bash completion and licence are where Debian looks for them.
# Arguments: the build directory and the source directory.
set -eu
build=$(realpath "$1")
source=$(realpath "$2")
work=$(mktemp -d /tmp/xinfang-install-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

meson install -C "$build" --destdir "$work/stage" --no-rebuild --quiet >"$work/install.log" 2>&1 ||
    { cat "$work/install.log" >&2; fail "meson install --destdir"; }
prefix=$(meson introspect "$build" --buildoptions | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root="$work/stage$prefix"
bin="$root/bin/xinfang"
[ -x "$bin" ] || fail "no installed program at $bin"
sysconf=$(meson introspect "$build" --buildoptions | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="sysconfdir"][0])')
case $sysconf in /*) etc="$work/stage$sysconf/xinfang" ;; *) etc="$root/$sysconf/xinfang" ;; esac
for f in share/man/man1/xinfang.1 share/bash-completion/completions/xinfang share/doc/xinfang/LICENSE \
         share/xinfang/forms/registration.form share/xinfang/forms/transfer.form share/xinfang/forms/outcome.form \
         share/xinfang/holidays/2026.txt lib/systemd/system/xinfang-backup.timer; do
    [ -s "$root/$f" ] || fail "$f is not installed"
done
# The lists the office edits are in its configuration directory; nothing is installed that the
# program never reads (the schema, the statutory holidays and the division codes are compiled in).
for f in xinfang.conf limits.txt departments.txt warnings.txt jrt_causes.txt; do
    [ -s "$etc/$f" ] || fail "$f is not installed in $etc"
done
for f in share/xinfang/schema share/xinfang/divisions.txt share/xinfang/statutory_holidays.txt share/xinfang/limits.txt; do
    [ ! -e "$root/$f" ] || fail "$f is installed but never read"
done
# meson install builds no test program: every target under tests/ is built only by meson test.
meson introspect "$build" --targets | python3 -c '
import json, sys
bad = [t["name"] for t in json.load(sys.stdin) if t["defined_in"].endswith("tests/meson.build") and t["build_by_default"]]
if bad:
    sys.exit("built by default (so by meson install): " + " ".join(bad))' || fail "meson install would build test programs"
if strings -a "$bin" | grep -F -e "$source" -e "$build" >"$work/paths"; then
    cat "$work/paths" >&2
    fail "the installed binary holds a build or source path"
fi
grep -q '^\.TH XINFANG 1' "$root/share/man/man1/xinfang.1" || fail "the man page has no .TH line"
man -l "$root/share/man/man1/xinfang.1" 2>/dev/null | grep -q 'PRINTING' || fail "man cannot read the man page"
grep -q 'MIT License' "$root/share/doc/xinfang/LICENSE" || fail "LICENSE is not the MIT licence"

# This host has no xinfang group (the package makes it): the office's setting is taken out, as
# the admin of a plain meson install would do or else create the group.
grep -q '^group = xinfang' "$etc/xinfang.conf" || fail "the installed xinfang.conf does not name the office group"
sed -i 's/^group = xinfang/#group = xinfang/' "$etc/xinfang.conf"

# The installed program, away from both trees: no environment pointing at them, traced.
unset XINFANG_DATA XINFANG_FORMS XINFANG_PRINTER XINFANG_SYSCONFDIR XINFANG_PHONE_MODULE
export XDG_CONFIG_HOME="$work/config"
export XINFANG_DB="$work/office.db" XINFANG_PASSWORD=secret1 XINFANG_USER=admin XINFANG_TODAY=2026-11-20
cd "$work"
# LeakSanitizer cannot run under ptrace; a sanitized build's leaks are the other tests' to find.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
"$bin" -V | grep -q '^xinfang ' || fail "-V"
"$bin" -h | grep -q 'printer' || fail "-h"
strace -f -qq -e trace=%file -o "$work/trace" "$bin" init --training >"$work/out" 2>&1 || { cat "$work/out" >&2; fail "init"; }
strace -f -qq -e trace=%file -o "$work/trace2" "$bin" new channel=来访 category=服务态度 name=李𠮷䶮 phone=13812345678 summary=柜员态度冷淡 >"$work/out" 2>&1 ||
    { cat "$work/out" >&2; fail "new"; }
strace -f -qq -e trace=%file -o "$work/trace3" "$bin" print 2026-0001 registration --to "$work/r.pdf" >"$work/out" 2>&1 ||
    { cat "$work/out" >&2; fail "print"; }
strace -f -qq -e trace=%file -o "$work/trace4" "$bin" print 2026-0001 registration --to "$work/r.txt" >"$work/out" 2>&1 ||
    { cat "$work/out" >&2; fail "print text"; }
cat "$work"/trace* >"$work/all-traces"
if grep -F -e "\"$source/" -e "\"$build/" "$work/all-traces" >"$work/leaks"; then
    cat "$work/leaks" >&2
    fail "the installed program opened files of the source or build tree"
fi
grep -q "share/xinfang/holidays/2026.txt" "$work/trace" || fail "init did not read the installed calendar"
libdir=$(meson introspect "$build" --buildoptions | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="libdir"][0])')
[ -s "$root/$libdir/xinfang/xinfang-phone.so" ] || fail "the phone module is not installed in $libdir/xinfang"
grep -q "\"$root/$libdir/xinfang/xinfang-phone.so\"" "$work/trace2" || fail "the phone check did not load the installed module"
grep -q "etc/xinfang/departments.txt" "$work/trace" || fail "init did not read the office's departments.txt in $etc"
# The configuration as installed: its file is read and said where each value came from.
"$bin" config | grep -q "^page_columns	90	内置默认" || { "$bin" config >&2; fail "config does not show the built-in page width"; }
"$bin" --set page_columns=80 config | grep -q "^page_columns	80	命令行 --set page_columns" || fail "config does not show --set"
printf 'page_columns = 100\n' >>"$etc/xinfang.conf"
"$bin" config | grep -q "^page_columns	100	本办配置 .*etc/xinfang/xinfang.conf:[0-9]" || { "$bin" config >&2; fail "config does not read $etc/xinfang.conf"; }
XINFANG_PAGE_COLUMNS=70 "$bin" config | grep -q "^page_columns	70	环境变量 XINFANG_PAGE_COLUMNS" || fail "the environment does not win over the file"
grep -q "share/xinfang/forms/registration.form" "$work/trace3" || fail "print did not read the installed form"
pdftotext "$work/r.pdf" - | tr -d ' \n' | grep -q '李𠮷䶮' || fail "the PDF lacks the name"
iconv -f GB18030 -t UTF-8 "$work/r.txt" | grep -q '信 访 登 记 表' || fail "the text slip lacks its title"

# The completion, as bash uses it.
if [ -r /usr/share/bash-completion/bash_completion ]; then
    got=$(bash -c '. /usr/share/bash-completion/bash_completion; . "$1"
        COMP_WORDS=(xinfang print 2026-0001 tr); COMP_CWORD=3; COMP_LINE="xinfang print 2026-0001 tr"; COMP_POINT=${#COMP_LINE}
        _xinfang xinfang tr 2026-0001; echo "${COMPREPLY[*]}"' sh "$root/share/bash-completion/completions/xinfang")
    [ "$got" = "transfer" ] || fail "completion of a form gave '$got'"
    got=$(bash -c '. /usr/share/bash-completion/bash_completion; . "$1"
        COMP_WORDS=(xinfang pri); COMP_CWORD=1; COMP_LINE="xinfang pri"; COMP_POINT=${#COMP_LINE}
        _xinfang xinfang pri xinfang; echo "${COMPREPLY[*]}"' sh "$root/share/bash-completion/completions/xinfang")
    [ "$got" = "print printer" ] || fail "completion of a command gave '$got'"
fi
echo "installed under $root: init, new, print ran on installed files only"
