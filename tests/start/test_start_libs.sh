#!/bin/sh
# The start maps only the libraries every command needs: Cairo, Pango, fontconfig, GLib's
# objects and libxlsxwriter are loaded when printing or exporting (src/core/libs_load.c), and
# a desk or command that does neither never maps them; libphonenumber, protobuf, abseil and the
# C++ runtime are in the phone module (xinfang-phone.so), loaded on the first phone check; ICU
# on the first comparison of names (a handler's masking, a move's recusal). Then
# a PDF is printed, an XLSX exported and a phone number registered, proving each is found when
# it is needed (the build tree's module beside its program, without XINFANG_PHONE_MODULE).
set -eu
bin=${XINFANG_BIN:?}
fail() { echo "test_start_libs: $*" >&2; exit 1; }
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "$needed" | grep -q sqlite3 || fail "readelf found no NEEDED entries: $needed"
for lib in cairo pango fontconfig gobject glib xlsxwriter phonenumber protobuf absl stdc++ icu; do
	if echo "$needed" | grep -q "$lib"; then fail "the program links $lib at start: $needed"; fi
done
unset XINFANG_PHONE_MODULE
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XINFANG_DB="$dir/s.db" XINFANG_PASSWORD=secret1 XINFANG_USER=admin
"$bin" init --training >/dev/null || fail "init failed"
# A command that prints nothing opens none of them.
maps=$(strace -f -e trace=openat "$bin" status 2>&1 >/dev/null |
	grep -E 'libcairo|libpango|libfontconfig|libxlsxwriter|xinfang-phone|libphonenumber|libprotobuf|libicu' || true)
[ -z "$maps" ] || fail "status opened: $maps"
# A case printed as PDF and the ledger exported as XLSX: the libraries load when needed.
number=$("$bin" new channel=来电 category=咨询 summary=测试 name=张三 2>/dev/null | tail -n 1)
case "$number" in *年第*号) ;; *) fail "new said: $number" ;; esac
"$bin" print "$number" registration --to "$dir/r.pdf" >/dev/null 2>"$dir/err" || fail "print: $(cat "$dir/err")"
[ "$(head -c 5 "$dir/r.pdf")" = "%PDF-" ] || fail "the printed file is not a PDF"
"$bin" export --format xlsx --to "$dir/l.xlsx" >/dev/null 2>"$dir/err" || fail "xlsx export: $(cat "$dir/err")"
[ "$(head -c 2 "$dir/l.xlsx")" = "PK" ] || fail "the XLSX is not a zip"
# A phone number: the module beside the build tree's program loads, the number is checked
# (LeakSanitizer cannot run under ptrace: a sanitized build's leaks are the other tests' to find).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -e trace=openat -o "$dir/trace" "$bin" new channel=来电 category=咨询 summary=测试 name=李四 phone="138 1234 5678" \
	>"$dir/out" 2>"$dir/err" || fail "new with a phone: $(cat "$dir/err")"
grep -q "\"$(dirname "$bin")/xinfang-phone.so\"" "$dir/trace" || fail "the phone check did not load $(dirname "$bin")/xinfang-phone.so"
"$bin" show "$(tail -n 1 "$dir/out")" | grep -q "^phone	13812345678$" || fail "the phone was not stored as 13812345678"
echo "ok: $(echo "$needed" | wc -l) libraries at start, printing, XLSX and phone checks load theirs"
