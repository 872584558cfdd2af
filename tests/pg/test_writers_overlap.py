#!/usr/bin/env python3
"""Writers overlap on PostgreSQL, and the record still holds: many desks of three branches
(several desks per branch) register and move cases at once through xinfang-desks, two heads
contesting the same case now and then; afterwards the numbers run without gap per branch, no
move was lost or made twice (xinfang-desks' own checks), the audit chain is one line that
`xinfang verify` accepts, its ids without gap, and every branch's status-bar counts equal a
count of its cases made afresh. Then the locks themselves: a branch's writer lock held by another
session stops a registration in that branch until it is let go, and not one in another branch;
the chain head's lock held stops any registration's commit until it is let go.

Run beside a throwaway cluster:
  tests/pg/with_cluster.sh python3 tests/pg/test_writers_overlap.py DESKS_PROGRAM
"""
import os
import subprocess
import sys
import tempfile
import time

from pgcheck import check, failures, psql  # tests/pg/pgcheck.py

BIN = os.environ['XINFANG_BIN']
SOCKET = os.environ['XINFANG_TEST_PG_DIR']
DESKS = sys.argv[1]
TMP = tempfile.mkdtemp(prefix='xinfang-overlap-')
DB = 'xf_overlap'
CHAIN_LOCK = 0x7866000000000002  # store_chain.c, CHAIN_LOCK_KEY


def fresh(name):
    """An empty database as a DBA makes one, and its locator."""
    psql('DROP DATABASE IF EXISTS %s' % name)
    psql("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'" % name)
    return 'postgresql:///%s?host=%s&user=postgres' % (name, SOCKET)


def xinfang(locator, *args, user=None, expect=0, busy_ms=None):
    """Runs the program on the store as `user` (password of xinfang-desks' accounts); checks its
    exit code; returns (stdout, stderr)."""
    env = dict(os.environ, XINFANG_PASSWORD='secret1', XINFANG_ANCHOR=TMP + '/')
    if busy_ms:
        env['XINFANG_BUSY_MS'] = str(busy_ms)
    argv = [BIN, '--db', locator] + (['--user', user] if user else []) + list(args)
    r = subprocess.run(argv, capture_output=True, text=True, env=env)
    check(r.returncode == expect, '%s: exit %d, not %d\n%s%s' % (' '.join(args), r.returncode, expect, r.stdout,
                                                                   r.stderr))
    return r.stdout, r.stderr


def register(loc, user, busy_ms=None):
    """A registration at a desk of the user's branch."""
    return xinfang(loc, 'new', 'channel=来访', 'name=赵六', 'category=服务态度', 'summary=柜员态度冷淡', 'people=',
                   user=user, busy_ms=busy_ms)


def hold(sql_lock, seconds):
    """Another session holding a lock for `seconds`, begun before this returns."""
    p = subprocess.Popen([os.path.join(os.environ.get('XINFANG_TEST_PG_BINDIR', ''), 'psql'), '-X', '-q', '-At',
                          '-v', 'ON_ERROR_STOP=1', '-d', DB],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdin.write('BEGIN;\nSELECT %s;\nSELECT \'held\';\n' % sql_lock)
    p.stdin.flush()
    line = p.stdout.readline()
    while line and line.strip() != 'held':
        line = p.stdout.readline()
    check(line.strip() == 'held', 'the other session never held ' + sql_lock)
    p.stdin.write('SELECT pg_sleep(%d);\nCOMMIT;\n' % seconds)
    p.stdin.close()
    return p


def counts_fresh():
    """Every branch's counts as pg/017 makes them from the cases, less the rows kept as they are."""
    return psql("""
      (SELECT branch, kind, scope, department, due, n FROM pending_counts WHERE n <> 0
       EXCEPT SELECT branch, kind, scope, department, due, count(*) FROM (
        SELECT branch, 0 AS kind, 0 AS scope, '' AS department, due_transfer AS due FROM cases WHERE state = 'queued'
        UNION ALL SELECT branch, 0, 0, '', '*' FROM cases WHERE state = 'queued'
        UNION ALL SELECT branch, 0, 1, department, due_transfer FROM cases WHERE state = 'queued'
        UNION ALL SELECT branch, 0, 1, department, '*' FROM cases WHERE state = 'queued'
        UNION ALL SELECT branch, 1, 0, '', due_handle FROM cases WHERE state IN ('queued', 'transferred')
        UNION ALL SELECT branch, 1, 0, '', '*' FROM cases WHERE state IN ('queued', 'transferred')
        UNION ALL SELECT branch, 1, 1, department, due_handle FROM cases WHERE state IN ('queued', 'transferred')
        UNION ALL SELECT branch, 1, 1, department, '*' FROM cases WHERE state IN ('queued', 'transferred')
        UNION ALL SELECT branch, 2, 0, '', due_reply FROM cases WHERE state IN ('queued', 'transferred', 'reported')
        UNION ALL SELECT branch, 2, 0, '', '*' FROM cases WHERE state IN ('queued', 'transferred', 'reported')
        UNION ALL SELECT branch, 2, 1, department, due_reply FROM cases WHERE state IN ('queued', 'transferred', 'reported')
        UNION ALL SELECT branch, 2, 1, department, '*' FROM cases WHERE state IN ('queued', 'transferred', 'reported')
       ) x GROUP BY branch, kind, scope, department, due)
      UNION ALL
      (SELECT branch, kind, scope, department, due, count(*) FROM (
        SELECT branch, 0 AS kind, 0 AS scope, '' AS department, due_transfer AS due FROM cases WHERE state = 'queued'
        UNION ALL SELECT branch, 1, 0, '', due_handle FROM cases WHERE state IN ('queued', 'transferred')
        UNION ALL SELECT branch, 2, 0, '', due_reply FROM cases WHERE state IN ('queued', 'transferred', 'reported')
       ) y GROUP BY branch, kind, scope, department, due
       EXCEPT SELECT branch, kind, scope, department, due, n FROM pending_counts)""", DB)


def main():
    loc = fresh(DB)
    # Twelve desks in three branches: four writers of each branch beside those of the others.
    r = subprocess.run([DESKS, '--db', loc, '--desks', '12', '--branches', '3', '--seconds', '8'],
                       capture_output=True, text=True, env=dict(os.environ, XINFANG_ANCHOR=TMP + '/'))
    print(r.stdout, end='')
    check(r.returncode == 0, 'xinfang-desks failed (exit %d):\n%s%s' % (r.returncode, r.stdout, r.stderr))
    lines = [l.split('\t') for l in r.stdout.splitlines()]
    checks = [l for l in lines if l[0] == 'check']
    check(len(checks) >= 5 and all(l[-1] == 'ok' for l in checks), 'a check of xinfang-desks failed: %s' % checks)
    moves = [l for l in lines if l[0] == 'moves']
    check(moves and int(moves[0][1]) > 0, 'no move was made')
    contested = [l for l in lines if l[0] == 'contested']
    check(len(contested) == 1, 'no line of contested moves: %s' % lines)

    # The chain: one line (verify recomputes every hash from its predecessor's), ids 1..N.
    out, err = xinfang(loc, 'verify', user='admin')
    check('校验链完整' in out and '与操作日志的重放一致' in out, 'verify after the desks: ' + out + err)
    gaps = psql('SELECT count(*) - max(id) FROM audit', DB)
    check(gaps == '0', 'audit ids with a gap: %s' % gaps)
    # Numbers: gapless and unique per branch and year.
    bad = psql('SELECT count(*) FROM (SELECT branch, year FROM cases GROUP BY branch, year '
               'HAVING count(*) <> max(seq) OR count(DISTINCT seq) <> count(*)) g', DB)
    check(bad == '0', 'numbers with gaps or twice in %s branch-years' % bad)
    last = psql('SELECT count(*) FROM number_seq n WHERE last <> (SELECT max(seq) FROM cases c '
                'WHERE c.branch = n.branch AND c.year = n.year)', DB)
    check(last == '0', 'number_seq ahead of or behind the cases in %s rows' % last)
    # The status bar's counts, kept by the trigger under each branch's lock, equal a fresh count.
    diff = counts_fresh()
    check(diff == '', 'pending_counts differ from the cases:\n' + diff)

    # A contested move, made to overlap: another session holds the case's row while two heads
    # of its branch transfer it, both past their reads and waiting at the UPDATE; let go, one
    # wins and the other is refused (its version check fails on the row as committed).
    out, _ = register(loc, 'clerk0')
    number = out.strip().splitlines()[-1] if out.strip() else ''
    h = hold("(SELECT 1 FROM cases WHERE number = '%s' FOR UPDATE)" % number, 4)
    env = dict(os.environ, XINFANG_PASSWORD='secret1', XINFANG_ANCHOR=TMP + '/', XINFANG_BUSY_MS='30000')
    heads = [subprocess.Popen([BIN, '--db', loc, '--user', u, 'transfer', number, 'dept=个人金融部'],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for u in ('head0', 'head3')]
    codes = [p.wait() for p in heads]
    h.wait()
    check(sorted(codes)[0] == 0 and sorted(codes)[1] != 0, 'two heads transferring %s at once: exits %s, %s' %
          (number, codes, [p.stderr.read() for p in heads]))
    moved = psql("SELECT count(*) FROM transfers t JOIN cases c ON c.id = t.case_id WHERE c.number = '%s'" % number,
                 DB)
    check(moved == '1', 'the contested case transferred %s times' % moved)

    # A branch's writer lock stops its own registrations only. The holder lets go no sooner than
    # `seconds` after hold() returned (its sleep is sent after it said it held the lock).
    b0 = psql("SELECT id FROM branches WHERE code = 'B000'", DB)
    h = hold('xinfang_branch_lock(%s)' % b0, 8)
    held_at = time.monotonic()
    register(loc, 'clerk1')  # branch B001
    check(h.poll() is None, 'a registration in another branch waited for branch B000\'s lock')
    register(loc, 'clerk0', busy_ms=30000)  # branch B000: waits
    check(time.monotonic() - held_at >= 8, 'a registration in branch B000 went past its lock')
    h.wait()
    check(h.returncode == 0, 'the holder of B000\'s lock failed: ' + h.stderr.read())
    # The chain head's lock stops every registration's commit, of any branch: refused as busy
    # after the busy timeout (no number used up), or committed once it is let go.
    h = hold('pg_advisory_xact_lock(%d)' % CHAIN_LOCK, 6)
    held_at = time.monotonic()
    out, err = xinfang(loc, 'new', 'channel=来访', 'name=赵六', 'category=服务态度', 'summary=柜员态度冷淡', 'people=',
                       user='clerk2', expect=3, busy_ms=1000)
    check('占用' in out + err or '稍后' in out + err, 'a registration while the chain head was held: ' + out + err)
    register(loc, 'clerk2', busy_ms=30000)
    check(time.monotonic() - held_at >= 6, 'a registration committed while the chain head was held')
    h.wait()
    check(h.returncode == 0, 'the holder of the chain head failed: ' + h.stderr.read())
    out, err = xinfang(loc, 'verify', user='admin')
    check('校验链完整' in out and '与操作日志的重放一致' in out, 'verify at the end: ' + out + err)
    bad = psql('SELECT count(*) FROM (SELECT branch, year FROM cases GROUP BY branch, year '
               'HAVING count(*) <> max(seq)) g', DB)
    check(bad == '0', 'numbers with gaps after the refused registration: %s' % bad)


main()
if failures:
    for f in failures:
        print('FAIL:', f, file=sys.stderr)
    sys.exit(1)
print('ok')
