#!/usr/bin/env python3
"""A branch on its own SQLite file pushes to the head office's PostgreSQL database through the
real program (`xinfang push --to URI [--move]`):

- a demo branch's file pushed whole; pushed again, nothing changes (the counts, the last ids,
  not even the head office's own records);
- the push killed with SIGKILL at random points (its batches made small so there are many),
  then pushed again: the head office holds a whole prefix after each kill, and in the end the
  same as after a clean push;
- a record of the branch's file changed with the sqlite3 library (its chain then breaks), and
  the branch's history rewritten with every hash after it recomputed (its own chain then holds,
  but disagrees with what the head office holds): both refused, the head office told (a
  push_refused record of the branch) and otherwise unchanged; a file with the code of a branch
  the head office works itself, and a file with a row changed behind the program (its chain
  intact), are refused before anything is written;
- `push --move`: the file refuses every write and says where to, the head office clears the
  branch's read-only flag, takes over its numbering, and a branch clerk registers the next
  number there;
- a file without a branch code, a branch the head office does not know, and a training file
  pushed to a production database are refused.

Run beside a throwaway cluster: tests/pg/with_cluster.sh python3 tests/pg/test_push.py
"""
import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from pgcheck import check, failures, psql  # tests/pg/pgcheck.py

BIN = os.environ['XINFANG_BIN']
SOCKET = os.environ['XINFANG_TEST_PG_DIR']
TMP = tempfile.mkdtemp(prefix='xinfang-push-')
# Statements a push with nothing new may send to the head office (13 when measured).
REPEATED_PUSH_STATEMENTS = 16
CASE_TABLES = ['cases', 'petitioners', 'instructions', 'transfers', 'returns', 'outcomes', 'replies',
               'extensions', 'urgings', 'materials', 'links', 'closures', 'printed_slips']


def env_for(user='admin', extra=None):
    """The environment of a run of the program."""
    env = dict(os.environ, XINFANG_PASSWORD='secret123X', XINFANG_USER=user, XINFANG_ANCHOR=TMP + '/')
    env.pop('XINFANG_TODAY', None)
    env.pop('XINFANG_PUSH_BATCH', None)
    env.update(extra or {})
    return env


def xinfang(db, *args, user='admin', expect=0, extra=None):
    """Runs the program on a store; checks its exit code; returns (stdout, stderr)."""
    r = subprocess.run([BIN, '--db', db] + list(args), capture_output=True, text=True, env=env_for(user, extra))
    check(r.returncode == expect, '%s %s: exit %d, not %d\n%s%s' % (db, ' '.join(args), r.returncode, expect,
                                                                     r.stdout, r.stderr))
    return r.stdout, r.stderr


def head_office(name, training=True):
    """A new head office database with branch BJ01 known; its locator."""
    psql('DROP DATABASE IF EXISTS %s' % name)
    psql("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'" % name)
    loc = 'postgresql:///%s?host=%s&user=postgres' % (name, SOCKET)
    xinfang(loc, 'init', *(['--training'] if training else []), '--branch', 'HQ', '--branch-name', '总行')
    xinfang(loc, 'branch', 'add', 'BJ01', '北京分行')
    return loc


def statements_of(run, name):
    """Runs run() with every statement of a session of database name logged by the server; the
    number of statements and execute messages it logged, and what run returned."""
    log = os.path.join(SOCKET, 'server.log')
    psql("ALTER DATABASE %s SET log_statement = 'all'" % name)
    mark = os.path.getsize(log)
    try:
        result = run()
    finally:
        psql('ALTER DATABASE %s RESET log_statement' % name)
    with open(log, 'rb') as f:
        f.seek(mark)
        logged = f.read().decode('utf-8', 'replace')
    return len(re.findall(r'LOG:  (?:statement|execute [^:]*):', logged)), result


def branch_id(db):
    """The head office's id of BJ01."""
    return int(psql("SELECT id FROM branches WHERE code = 'BJ01'", db))


def state(db):
    """What the head office holds of BJ01, independent of the ids it gave: every pushed case
    with its columns but id, the rows of each case table by case number, the records kept."""
    b = branch_id(db)
    out = {'records': psql("SELECT string_agg(id || ':' || hash, ',' ORDER BY id) FROM pushed_audit "
                           "WHERE branch = %d" % b, db),
           'pushed': psql('SELECT pushed FROM branches WHERE id = %d' % b, db)}
    cols = [c for c in psql("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
                            "information_schema.columns WHERE table_name = 'cases' AND table_schema = "
                            "current_schema()", db).split(',') if c != 'id']
    out['cases'] = psql("SELECT string_agg(concat_ws('|', %s), E'\\n' ORDER BY number) FROM cases "
                        "WHERE branch = %d" % (', '.join('"%s"' % c for c in cols), b), db)
    for t in CASE_TABLES[1:]:
        out[t] = psql("SELECT count(*) || '/' || coalesce(string_agg(c.number, ',' ORDER BY c.number, x.id), '') "
                      "FROM %s x JOIN cases c ON c.id = x.case_id WHERE c.branch = %d" % (t, b), db)
        out['map ' + t] = psql("SELECT count(*) FROM pushed_rows WHERE branch = %d AND tbl = '%s'" % (b, t), db)
    return out


def branch_file(name):
    """A demo branch's file with the code BJ01."""
    path = os.path.join(TMP, name)
    xinfang(path, 'init', '--demo')
    xinfang(path, 'branch', 'set', 'BJ01', '北京分行')
    return path


def copy_file(src, name):
    """A copy of a branch's file (its anchor with it), by SQLite's backup: what is still in the
    WAL comes along."""
    dst = os.path.join(TMP, name)
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:  # with what is still in the WAL
        a.backup(b)
    if os.path.exists(src + '.anchor'):
        shutil.copy(src + '.anchor', dst + '.anchor')
    return dst


def hash_field(h, v):
    """One field of a record's hashed content: its length, a colon, the bytes, a semicolon."""
    b = (v or '').encode()
    h.update(b'%d:' % len(b))
    h.update(b)
    h.update(b';')


def record_hash(prev, r):
    """A record's hash over the previous one, as the program computes it (store_chain_walk.c)."""
    h = hashlib.sha256()
    for v in ['xinfang-audit-1', prev, str(r[0])] + [x if x is not None else '' for x in r[1:9]]:
        hash_field(h, str(v))
    if r[10] != 1:
        hash_field(h, 'branch=%d' % r[10])
    return h.hexdigest()


def rewrite_history(path, from_id):
    """Changes record from_id of a file and recomputes every hash after it, as someone who read
    the code could: the file's own chain holds again."""
    db = sqlite3.connect(path)
    db.execute('DROP TRIGGER audit_no_update')
    db.execute("UPDATE audit SET after = '{\"note\":\"改写\"}' WHERE id = ?", (from_id,))
    prev = db.execute('SELECT hash FROM audit WHERE id = ?', (from_id - 1,)).fetchone()[0]
    rows = db.execute("SELECT id, at, wall, operator, action, coalesce(CAST(case_id AS TEXT), ''), before, after, "
                      "snapshot, hash, branch FROM audit WHERE id >= ? ORDER BY id", (from_id,)).fetchall()
    for r in rows:
        prev = record_hash(prev, r)
        db.execute('UPDATE audit SET hash = ? WHERE id = ?', (prev, r[0]))
    db.commit()
    db.close()


def refusals(db):
    """The head office's records of refused pushes of BJ01."""
    return int(psql("SELECT count(*) FROM audit WHERE action = 'push_refused' AND branch = %d" % branch_id(db), db))


def main():
    bj = os.path.join(TMP, 'bj.db')
    xinfang(bj, 'init', '--demo')
    hq = head_office('xf_hq')

    # A file without a code, and a code the head office does not know.
    _, err = xinfang(bj, 'push', '--to', hq, expect=1)
    check('branch set' in err, 'a push without a code said: ' + err)
    other = copy_file(bj, 'bj02.db')
    xinfang(other, 'branch', 'set', 'BJ02', '北京二分行')
    _, err = xinfang(other, 'push', '--to', hq, expect=1)
    check('branch add BJ02' in err, 'a push of an unknown branch said: ' + err)
    # A file with the code of a branch the head office works itself (a case registered there):
    # refused before anything is written, the branch not made read-only.
    xinfang(hq, 'branch', 'add', 'BJ05', '北京五分行')
    xinfang(hq, 'user', 'add', 'bj5clerk', 'operator', 'branch=BJ05', extra={'XINFANG_NEW_PASSWORD': 'abc12345x'})
    xinfang(hq, 'new', 'channel=来访', 'category=服务态度', 'name=刘五', 'summary=总行办理的五分行事项',
            user='bj5clerk', extra={'XINFANG_PASSWORD': 'abc12345x'})
    worked = copy_file(bj, 'bj05.db')
    xinfang(worked, 'branch', 'set', 'BJ05', '北京五分行')
    _, err = xinfang(worked, 'push', '--to', hq, expect=1)
    check('拒绝推送' in err and '直接登记' in err and 'BJ05' in err, 'a push into a worked branch said: ' + err)
    check(psql("SELECT pushed FROM branches WHERE code = 'BJ05'", 'xf_hq') == '0', 'the worked branch became read-only')
    check(psql("SELECT count(*) FROM pushed_audit p JOIN branches b ON b.id = p.branch WHERE b.code = 'BJ05'",
               'xf_hq') == '0', 'a refused push left records at the head office')
    xinfang(bj, 'branch', 'set', 'BJ01', '北京分行')

    # The login the head office names for a branch: a push as another login is refused before it
    # writes, and recorded; as that login it goes. A file has no logins to name.
    named = head_office('xf_login')
    _, err = xinfang(named, 'branch', 'push-login', 'BJ01', 'bj01 push', expect=1)
    check('不合格' in err, 'a login with a space was taken: ' + err)
    _, err = xinfang(named, 'branch', 'add', 'BJ09', '北京九分行', 'push_login=bj09 push', expect=1)
    check('不合格' in err, 'branch add took a login with a space: ' + err)
    check(psql("SELECT count(*) FROM branches WHERE code = 'BJ09'", 'xf_login') == '0',
          'a branch was added though its push login was refused')
    _, err = xinfang(bj, 'branch', 'push-login', 'BJ01', 'bj01_push', expect=1)
    check('数据库文件' in err, 'a file took a push login: ' + err)
    out, _ = xinfang(named, 'branch', 'push-login', 'BJ01', 'bj01_push')
    check('bj01_push' in out, 'push-login said: ' + out)
    out, _ = xinfang(named, 'branch', 'list')
    check('BJ01\t北京分行\tHQ\t\tbj01_push' in out, 'branch list does not show the push login: ' + out)
    _, err = xinfang(bj, 'push', '--to', named, expect=1)
    check('拒绝推送' in err and 'bj01_push' in err and 'postgres' in err, 'a push as another login said: ' + err)
    check(psql("SELECT count(*) FROM pushed_audit", 'xf_login') == '0', 'a push as another login wrote records')
    check(refusals(named) == 1, 'the head office was not told of the push as another login')
    check(psql("SELECT count(*) FROM audit WHERE action = 'branch_push_login'", 'xf_login') == '1',
          'naming the push login left no record')
    xinfang(named, 'branch', 'push-login', 'BJ01', 'postgres')
    out, _ = xinfang(bj, 'push', '--to', named)
    check('已推送分行 BJ01' in out, 'a push as the named login said: ' + out)
    xinfang(named, 'verify')

    _, err = xinfang(bj, 'branch', 'set', 'BJ03', expect=1)
    check('不能改' in err, 'a second code was taken: ' + err)
    prod = head_office('xf_prod', training=False)
    _, err = xinfang(bj, 'push', '--to', prod, expect=1)
    check('培训' in err, 'a training file went to a production database: ' + err)

    # A clean push, then again: nothing changes, not even the head office's own records.
    t0 = time.monotonic()
    out, _ = xinfang(bj, 'push', '--to', hq)
    clean_time = time.monotonic() - t0
    check('已推送分行 BJ01 的第 1 至' in out, 'the push said: ' + out)
    clean = state(hq)
    last = int(sqlite3.connect(bj).execute('SELECT max(id) FROM audit').fetchone()[0])
    check(clean['records'].endswith(str(last) + ':' + sqlite3.connect(bj).execute(
        'SELECT hash FROM audit WHERE id = ?', (last,)).fetchone()[0]), 'the head office lacks the last record')
    n_cases = sqlite3.connect(bj).execute('SELECT count(*) FROM cases').fetchone()[0]
    check(clean['cases'].count('\n') + 1 == n_cases, 'the head office has %d cases, the file %d'
          % (clean['cases'].count('\n') + 1, n_cases))
    check(clean['pushed'] == '1', 'the branch is not marked pushed (read-only) at the head office')
    audit_before = psql("SELECT count(*) || '/' || max(id) FROM audit", 'xf_hq')
    n, out = statements_of(lambda: xinfang(bj, 'push', '--to', hq)[0], 'xf_hq')
    check('没有要推送的' in out, 'a repeated push said: ' + out)
    # Opening the store and the checks (training, the branch) take about ten; learning that the
    # head office holds the file's newest record is one more, however long the chain.
    check(0 < n <= REPEATED_PUSH_STATEMENTS, 'a repeated push sent %d statements to the head office (budget %d)'
          % (n, REPEATED_PUSH_STATEMENTS))
    check(state(hq) == clean, 'a repeated push changed the head office')
    check(psql("SELECT count(*) || '/' || max(id) FROM audit", 'xf_hq') == audit_before,
          'a repeated push wrote records at the head office')
    xinfang(hq, 'verify')

    # Killed at random points, then pushed again: a whole prefix each time, the clean result at the end.
    slow = head_office('xf_slow')
    t0 = time.monotonic()
    xinfang(bj, 'push', '--to', slow, extra={'XINFANG_PUSH_BATCH': '20'})
    slow_time = time.monotonic() - t0
    check(state(slow) == clean, 'a push in small batches differs from one in large')
    cut_between = 0
    for run, share in enumerate([0.2, 0.4, 0.6, 0.8, random.random()]):
        name = 'xf_kill%d' % run
        loc = head_office(name)
        p = subprocess.Popen([BIN, '--db', bj, 'push', '--to', loc], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=env_for(extra={'XINFANG_PUSH_BATCH': '20'}))
        # Killed once the head office holds a share of the records (read as the batches commit),
        # not after a share of a clean push's time: opening the stores and the text index at the
        # end take a part of that time which no batch falls in.
        target = max(1, int(last * share * random.uniform(0.7, 1.1)))
        while p.poll() is None:
            if int(psql('SELECT count(*) FROM pushed_audit', name)) >= target:
                break
            time.sleep(0.01)
        p.send_signal(signal.SIGKILL)
        p.wait()
        held = psql('SELECT count(*), coalesce(max(id), 0) FROM pushed_audit', name).split('|')
        check(held[0] == held[1], 'after a kill the records held are not a prefix: %s' % held)
        tos = psql("SELECT coalesce(max(CAST(after::json->>'to' AS bigint)), 0) FROM audit WHERE action = 'push'", name)
        check(tos == held[1], 'after a kill the head office records up to %s, holds %s' % (tos, held[1]))
        if 0 < int(held[1]) < last:
            cut_between += 1
        xinfang(bj, 'push', '--to', loc)
        check(state(loc) == clean, 'a push resumed after a kill at %s differs from a clean one' % held[1])
        xinfang(loc, 'verify')
    check(cut_between > 0, 'no kill fell between two batches (timing): nothing was resumed')

    # New work at the branch, then a changed record: the chain breaks, the push is refused.
    xinfang(bj, 'new', 'channel=来访', 'category=服务态度', 'name=刘一', 'phone=13812345678', 'summary=推送之后',
            user='clerk')
    later = copy_file(bj, 'bj-later.db')
    tampered = copy_file(bj, 'bj-tampered.db')
    db = sqlite3.connect(tampered)
    db.execute('DROP TRIGGER audit_no_update')
    db.execute("UPDATE audit SET operator = 'head' WHERE id = (SELECT max(id) FROM audit WHERE action = 'register')")
    db.commit()
    db.close()
    _, err = xinfang(tampered, 'push', '--to', hq, expect=1)
    check('拒绝推送' in err and '总行已记下' in err, 'a broken chain was not refused: ' + err)
    check(refusals(hq) == 1, 'the head office was not told of the refusal')
    check(state(hq) == clean, 'a refused push changed the head office')

    # History rewritten with every hash after it recomputed: the file's chain holds, the head
    # office's copy disagrees.
    rewritten = copy_file(later, 'bj-rewritten.db')
    rewrite_history(rewritten, 5)
    _, err = xinfang(rewritten, 'push', '--to', hq, expect=1)
    check('第 %d 条' % last in err and '重写' in err, 'a rewritten chain was not refused at record %d: %s' % (last, err))
    check(refusals(hq) == 2, 'the head office was not told of the second refusal')
    check(state(hq) == clean, 'a refused push changed the head office')
    reason = psql("SELECT after FROM audit WHERE action = 'push_refused' ORDER BY id DESC LIMIT 1", 'xf_hq')
    check('"record":"%d"' % last in reason, 'the refusal record says: ' + reason)
    xinfang(hq, 'verify')

    # A row changed with sqlite3 behind the program, its chain untouched: the push would carry
    # the changed row under a record that never wrote it. Refused, nothing written.
    changed_row = copy_file(later, 'bj-row.db')
    db = sqlite3.connect(changed_row)
    db.execute("UPDATE cases SET summary = '推送之前改过' WHERE summary = '推送之后'")
    db.commit()
    db.close()
    _, err = xinfang(changed_row, 'push', '--to', hq, expect=1)
    check('拒绝推送' in err and 'cases:' in err and '不符' in err, 'a changed row was not refused: ' + err)
    check(refusals(hq) == 2, 'a refused push of a changed row wrote at the head office')
    check(state(hq) == clean, 'a refused push of a changed row changed the head office')

    # The move: the last records go, the head office takes the branch over, the file is an archive.
    later_last = int(sqlite3.connect(later).execute('SELECT max(id) FROM audit').fetchone()[0])
    out, _ = xinfang(later, 'push', '--to', hq, '--move')
    check('已迁往总行' in out, 'the move said: ' + out)
    # the records it sent named as they are: one as 第 N 条, several as 第 N 至 M 条
    sent = ('第 %d 条记录' % later_last if later_last == last + 1
            else '第 %d 至 %d 条记录' % (last + 1, later_last))
    check(sent in out, 'the move pushed records %d..%d and said: %s' % (last + 1, later_last, out))
    b = branch_id(hq)
    check(psql('SELECT pushed FROM branches WHERE id = %d' % b, 'xf_hq') == '0', 'the head office kept the flag')
    check(psql("SELECT count(*) FROM cases WHERE branch = %d AND summary = '推送之后'" % b, 'xf_hq') == '1',
          'the last case did not arrive with the move')
    _, err = xinfang(later, 'new', 'channel=来访', 'category=服务态度', 'name=刘二', 'summary=迁移之后',
                     user='clerk', expect=1)
    check('此库已迁往' in err and 'xf_hq' in err, 'a write on the moved file said: ' + err)
    check('user=' not in err, 'the moved file sends desks to the push login: ' + err)
    _, err = xinfang(later, 'push', '--to', hq, expect=1)
    check('已迁往' in err, 'a push of a moved file said: ' + err)
    out, _ = xinfang(later, 'show', sqlite3.connect(later).execute('SELECT number FROM cases LIMIT 1').fetchone()[0],
                     user='clerk')
    check('number' in out, 'the archive cannot be read: ' + out)
    last_seq = sqlite3.connect(later).execute('SELECT last FROM number_seq ORDER BY year DESC LIMIT 1').fetchone()[0]
    xinfang(hq, 'user', 'add', 'bjclerk', 'operator', 'branch=BJ01', extra={'XINFANG_NEW_PASSWORD': 'abc12345x'})
    out, _ = xinfang(hq, 'new', 'channel=来访', 'category=服务态度', 'name=刘三', 'summary=总行办理',
                     user='bjclerk', extra={'XINFANG_PASSWORD': 'abc12345x'})
    check(out.strip().endswith('第%04d号' % (last_seq + 1)) and out.strip().startswith('BJ01-'),
          'the branch numbered on at the head office as ' + out)
    xinfang(hq, 'verify')

    print('push of a demo branch (%d records): %.2f s in batches of 1000, %.2f s in batches of 20'
          % (last, clean_time, slow_time))
    shutil.rmtree(TMP, ignore_errors=True)
    if failures:
        print('\n'.join(failures))
        sys.exit(1)
    print('ok')


if __name__ == '__main__':
    main()
