#!/bin/bash
# Bash completion as a user meets it: every command, its options and their values, printer
# queues, case numbers from the store. Run: test_completion.sh <completion file>; needs
# bash-completion and $XINFANG_BIN.
set -u
comp_file=$1
[[ -r /usr/share/bash-completion/bash_completion ]] || { echo "bash-completion is not installed"; exit 1; }
source /usr/share/bash-completion/bash_completion
source "$comp_file"
PATH=$(dirname "$XINFANG_BIN"):$PATH
compopt() { :; } # only valid inside a real completion; what it sets is not under test here
failures=0

# Completes the words (the last is the one being typed) and prints the candidates, one a line.
complete_words() {
    COMP_WORDS=(xinfang "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _xinfang
    printf '%s\n' "${COMPREPLY[@]}"
}

# Fails unless completing the words offers every one of the expected candidates.
expect() {
    local want=$1
    shift
    local got
    got=$(complete_words "$@")
    local w
    for w in $want; do
        if ! grep -qxF -- "$w" <<<"$got"; then
            echo "FAIL: xinfang $* <TAB> lacks '$w'; offered: $(tr '\n' ' ' <<<"$got")"
            failures=$((failures + 1))
        fi
    done
}

# Fails when completing the words offers the candidate.
refuse() {
    local not=$1
    shift
    if complete_words "$@" | grep -qxF -- "$not"; then
        echo "FAIL: xinfang $* <TAB> offers '$not'"
        failures=$((failures + 1))
    fi
}

# Every command the program has, from its own --help, is offered.
commands=$("$XINFANG_BIN" --help | sed '/^登记的键/,$d' | sed -n 's/^  \([a-z]\+\)\b.*/\1/p' | sort -u)
[[ $(wc -w <<<"$commands") -ge 30 ]] || { echo "FAIL: too few commands in --help: $commands"; exit 1; }
for c in $commands; do
    expect "$c" ""
    # ...and each answers --help.
    expect "--help" "$c" "--"
done
expect "export import stats search verify backup restore" ""
expect "--db --user --today --help --version" "--"

# Options and their values, per command.
expect "--training --demo --admin" init "--"
expect "--to --printer --format --encoding" print 2026-0001 registration "--"
expect "registration transfer outcome" print 2026-0001 ""
expect "pdf text" print 2026-0001 registration --format ""
expect "text csv pdf" stats year=2026 --format ""
expect "csv xlsx" export --format ""
refuse "xlsx" print 2026-0001 registration --format ""
expect "GB18030 UTF-8 GBK" print 2026-0001 registration --encoding ""
expect "GB18030 UTF-8" export --encoding ""
expect "--format --encoding --print --printer --to --explain" stats "--"
expect "since= until= month= quarter= year= by=" stats ""
expect "by=channel by=category by=department by=importance by=state by=jrt" stats "by="
expect "--format --encoding --to" export "--"
expect "since= until=" export ""
expect "--dry-run" import "--"
expect "--new-anchor" verify "--"
expect "show set" printer ""
expect "queue= format= encoding= line_end=" printer set ""
expect "line_end=lf line_end=crlf" printer set "line_end="
expect "add reset unlock disable enable role list" user ""
expect "operator head handler admin" user add clerk2 ""
expect "full_name= dept=" user add clerk2 operator ""
expect "load show" calendar ""
expect "use" rules ""
expect "state= dept= operator= limit=" list ""
expect "state=queued state=closed" list "state="
expect "id_number= phone= name=" find ""
expect "since= until= state= dept= category= channel= importance= page=" search ""
expect "channel= name= id_type= id_number= summary= repeat_of= jrt_cause=" new ""
expect "gender=男 gender=女" new "gender="
# The moves: the keys each takes, from its own help.
expect "dept= deadline= instruction= leader= co_depts= opinion=" transfer 2026-0001 ""
expect "findings= satisfaction=" outcome 2026-0001 ""
expect "satisfaction=满意 satisfaction=不满意" outcome 2026-0001 "satisfaction="
expect "method= date=" reply 2026-0001 ""
expect "method=口头 method=书面" reply 2026-0001 "method="
expect "reason= advice=" reject 2026-0001 ""
expect "until= reason= limit=" extend 2026-0001 ""
expect "limit=handle limit=reply" extend 2026-0001 "limit="
expect "decision=同意 decision=不同意" decide 2026-0001 "decision="
expect "target= method=" urge 2026-0001 ""
expect "description= copies=" material 2026-0001 ""
expect "reason= voluntary=" withdraw 2026-0001 ""
expect "leader= text=" instruct 2026-0001 ""
expect "answer=" spot 2026-0001 ""
expect "note=" close 2026-0001 ""
expect "reason=" return 2026-0001 ""

# Printer queues come from lpstat: a stand-in lpstat on PATH lists two.
stub=$(mktemp -d)
trap 'rm -rf "$stub"' EXIT
printf '#!/bin/sh\n[ "$1" = -e ] && printf "信访办\\n针式\\n"\n' >"$stub/lpstat"
chmod +x "$stub/lpstat"
PATH=$stub:$PATH
expect "信访办 针式" print 2026-0001 registration --printer ""
expect "queue=信访办 queue=针式" printer set "queue="
expect "信访办" stats year=2026 --printer ""

# Case numbers from the store, as the user may read them; none when a login would prompt.
export XINFANG_DB=$stub/x.db XINFANG_TODAY=2026-11-20 XINFANG_USER=admin
XINFANG_PASSWORD=secret1 "$XINFANG_BIN" init --training >/dev/null || exit 1
for who in 张伟 李娜; do
    XINFANG_PASSWORD=secret1 "$XINFANG_BIN" new channel=来访 category=服务态度 name=$who summary=一件 >/dev/null || exit 1
done
export XINFANG_PASSWORD=secret1
expect "2026-0001 2026-0002" show ""
expect "2026-0001 2026-0002" print ""
expect "2026-0001" transfer ""
expect "2026-0002" link 2026-0001 ""
expect "repeat_of=2026-0001" new "repeat_of="
# A handler reads only what was transferred to the department: 2026-0002, not 2026-0001.
XINFANG_NEW_PASSWORD=secret2 "$XINFANG_BIN" user add h3 handler dept=监察室 full_name=孙八 >/dev/null || exit 1
"$XINFANG_BIN" transfer 2026-0002 dept=监察室 >/dev/null || exit 1
XINFANG_USER=h3 XINFANG_PASSWORD=secret2 expect "2026-0002" show ""
XINFANG_USER=h3 XINFANG_PASSWORD=secret2 refuse "2026-0001" show ""
unset XINFANG_PASSWORD
refuse "2026-0001" show ""

if ((failures > 0)); then
    echo "$failures completion check(s) failed"
    exit 1
fi
echo "completion: all checks passed"
