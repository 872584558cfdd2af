#!/usr/bin/env python3
"""An office's day on PostgreSQL through the real program: `xinfang --db postgresql://… init`
in an empty database, then registration, transfer, outcome, reply, show, list, status, history,
the ledger's export and import and verify, as on an SQLite file; a forged row and an index the
migrations never made are found by verify; a backup file restores into a new database and the
server's store backs up into a file that verifies.

Run beside a throwaway cluster: tests/pg/with_cluster.sh python3 tests/pg/test_cli_day.py

The store is a production one, so its time is the server's: the database's search_path puts a
clock_timestamp() of the test's own (10:00 on 2026-06-15) before pg_catalog's, and the cases
must be numbered and dated by that day, not by this machine's. A training store (init
--training) keeps the date given with --today.
"""
import os
import re
import subprocess
import sys
import tempfile

from pgcheck import check, failures, psql  # tests/pg/pgcheck.py

BIN = os.environ['XINFANG_BIN']
SOCKET = os.environ['XINFANG_TEST_PG_DIR']
TMP = tempfile.mkdtemp(prefix='xinfang-pgday-')


def fresh(name):
    """An empty database as a DBA makes one, and its locator."""
    psql('DROP DATABASE IF EXISTS %s' % name)
    psql("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'" % name)
    return 'postgresql:///%s?host=%s&user=postgres' % (name, SOCKET)


def xinfang(locator, *args, user=None, today=None, expect=0):
    """Runs the program on the store; checks its exit code; returns (stdout, stderr)."""
    # The anchors' directory: one file per database in it, named after its locator.
    env = dict(os.environ, XINFANG_PASSWORD='secret123X', XINFANG_ANCHOR=TMP + '/')
    env.pop('XINFANG_TODAY', None)
    argv = [BIN, '--db', locator]
    if user:
        argv += ['--user', user]
    if today:
        argv += ['--today', today]
    r = subprocess.run(argv + list(args), capture_output=True, text=True, env=env)
    check(r.returncode == expect, '%s: exit %d, not %d\n%s%s' % (' '.join(args), r.returncode, expect, r.stdout,
                                                                   r.stderr))
    return r.stdout, r.stderr


def production_day():
    """A production store on PostgreSQL through one day, dated by the server's clock."""
    loc = fresh('xf_day')
    psql("CREATE SCHEMA xf_clock; CREATE FUNCTION xf_clock.clock_timestamp() RETURNS timestamptz LANGUAGE sql "
         "AS $$ SELECT timestamptz '2026-06-15 10:00:00+08' $$", 'xf_day')
    psql('ALTER DATABASE xf_day SET search_path = public, xf_clock, pg_catalog')
    out, err = xinfang(loc, 'init')
    check('已初始化' in out, 'init said: ' + out + err)
    check(not os.path.exists('postgresql:'), 'init made a directory named after the URI')
    out, err = xinfang(loc, 'init', expect=1)
    check('已经初始化过' in err, 'a second init said: ' + err)
    check([f for f in os.listdir(TMP) if 'xf_day' in f and f.endswith('.anchor')],
          'init wrote no anchor of its own where the configuration says: %s' % os.listdir(TMP))
    out, _ = xinfang(loc, 'new', 'channel=来访', 'name=赵六', 'category=服务态度', 'summary=柜员态度冷淡，要求道歉',
                     'people=', user='admin')
    number = out.strip().splitlines()[-1] if out.strip() else ''
    check(number == '2026年第0001号', 'numbered by the server\'s year: ' + out)
    m = re.match(r'(\d+)年第(\d+)号', number)
    num = '%s-%s' % m.groups() if m else '2026-0001'
    xinfang(loc, 'transfer', num, 'dept=个人金融部', user='admin')
    xinfang(loc, 'outcome', num, 'findings=经核实情况属实', 'satisfaction=满意', user='admin')
    xinfang(loc, 'reply', num, 'method=书面', user='admin')
    out, _ = xinfang(loc, 'show', num, user='admin')
    check('赵六' in out and '2026-06-15' in out, 'show: ' + out)
    out, _ = xinfang(loc, 'list', user='admin')
    check(num in out or number in out, 'list: ' + out)
    xinfang(loc, 'status', user='admin')
    out, _ = xinfang(loc, 'history', num, user='admin')
    check('2026-06-15' in out, 'history is dated by the server: ' + out)
    at = psql("SELECT string_agg(DISTINCT substr(at, 1, 10), ',') FROM audit", 'xf_day')
    check(at == '2026-06-15', 'every record dated by the server: ' + at)
    wall = psql("SELECT count(*) FROM audit WHERE wall NOT LIKE '2026-06-15T10:00:%'", 'xf_day')
    check(wall == '0', 'every wall time the server\'s: %s left' % wall)
    xinfang(loc, 'new', 'channel=来访', 'name=孙七', 'category=服务态度', 'summary=又一件', user='admin',
            today='2026-06-14', expect=1)
    out, err = xinfang(loc, 'verify', user='admin')
    check('校验链完整' in out and '与操作日志的重放一致' in out, 'verify: ' + out + err)
    out, err = xinfang(loc, 'export', '--encoding', 'UTF-8', '--to', os.path.join(TMP, 'ledger.csv'), user='admin')
    check('已导出 1 件' in out, 'export: ' + out + err)
    # A row changed behind the program's back, as the owner, is found.
    psql("UPDATE petitioners SET name = '钱八' WHERE name = '赵六'", 'xf_day')
    out, err = xinfang(loc, 'verify', user='admin', expect=1)
    check('钱八' in out + err and 'petitioners' in out + err, 'verify of a forged row: ' + out + err)
    # So is an index the migrations never made (the schema compared with data/schema/pg's).
    psql("CREATE INDEX xf_extra ON cases (summary)", 'xf_day')
    out, err = xinfang(loc, 'verify', user='admin', expect=1)
    check('xf_extra' in out and '多出' in out, 'verify of an extra index: ' + out + err)


def training_day():
    """A training store on PostgreSQL keeps the date given with --today; the production day's
    ledger imported into it (the import's rows snapshotted from the values it wrote) verifies."""
    loc = fresh('xf_training')
    xinfang(loc, 'init', '--training')
    out, err = xinfang(loc, 'import', os.path.join(TMP, 'ledger.csv'), user='admin', today='2026-09-01')
    check('已导入 1 件' in out, 'import: ' + out + err)
    out, _ = xinfang(loc, 'new', 'channel=来信', 'name=周九', 'category=服务态度', 'summary=培训', user='admin',
                     today='2026-09-01')
    check(out.strip().endswith('2026年第0002号'), 'training numbering after the import: ' + out)
    out, _ = xinfang(loc, 'show', '2026-0002', user='admin', today='2026-09-01')
    check('2026-09-01' in out, 'training date: ' + out)
    out, err = xinfang(loc, 'verify', user='admin', today='2026-09-01')
    check('与操作日志的重放一致' in out, 'verify after the import: ' + out + err)


def backup_and_restore():
    """A demo store's backup file restores into a new PostgreSQL database (a database holding
    records is refused, untouched); the PostgreSQL store backs up into a new SQLite file; both
    verify, and the file holds what the server holds."""
    demo = os.path.join(TMP, 'demo.db')
    xinfang(demo, 'init', '--demo')
    backup = os.path.join(TMP, 'demo-backup.db')
    xinfang(demo, 'backup', backup, user='admin')
    loc = fresh('xf_restored')
    out, err = xinfang(loc, 'restore', backup, user='admin')
    check('恢复到新的数据库' in out, 'restore into PostgreSQL: ' + out + err)
    cases = psql('SELECT count(*) FROM cases', 'xf_restored')
    check(cases == '200', 'cases restored: ' + cases)
    out, err = xinfang(loc, 'verify', user='admin')
    check('与操作日志的重放一致' in out, 'verify of the restored store: ' + out + err)
    records = psql('SELECT count(*) FROM audit', 'xf_restored')
    out, err = xinfang(loc, 'restore', backup, user='admin', expect=1)
    check('已有记录' in err, 'a second restore over records: ' + out + err)
    check(psql('SELECT count(*) FROM audit', 'xf_restored') == records, 'the refused restore wrote records')
    out, _ = xinfang(loc, 'new', 'channel=来访', 'name=吴十', 'category=服务态度', 'summary=恢复后登记', user='admin')
    check(out.strip().endswith('号'), 'registration after the restore: ' + out)
    copy = os.path.join(TMP, 'from-pg.db')
    out, err = xinfang(loc, 'backup', copy, user='admin')
    check('已备份到' in out, 'backup of the PostgreSQL store: ' + out + err)
    out, err = xinfang(copy, 'verify', user='admin')
    check('与操作日志的重放一致' in out, 'verify of the backup file: ' + out + err)
    out, _ = xinfang(copy, 'list', 'limit=1000', user='admin')
    check('吴十' in out, 'the file holds the case registered on the server: ' + out[:200])
    out, err = xinfang(loc, 'backup', copy, user='admin', expect=1)
    check('已存在' in err, 'a backup over a file: ' + err)
    # The nightly service's verify, backup and check of the copy, on the server's database.
    if os.geteuid() == 0:
        nightly = os.path.join(TMP, 'nightly')
        os.mkdir(nightly)
        os.environ['XINFANG_BACKUP_DIR'] = nightly
        out, err = xinfang(loc, 'nightly')
        del os.environ['XINFANG_BACKUP_DIR']
        made = [f for f in os.listdir(nightly) if f.endswith('.db')]
        check(len(made) == 1, 'nightly made %s: %s%s' % (made, out, err))
        if made:
            out, err = xinfang(os.path.join(nightly, made[0]), 'verify', user='admin')
            check('核验通过' in out, 'verify of the nightly backup: ' + out + err)


def anchors_apart():
    """Two databases verified in turn keep an anchor each (one shared file would make each
    verify find the other's chain head)."""
    for loc in ('xf_training', 'xf_restored', 'xf_training', 'xf_restored'):
        out, err = xinfang('postgresql:///%s?host=%s&user=postgres' % (loc, SOCKET), 'verify', user='admin',
                           today='2026-09-01' if loc == 'xf_training' else None)
        check('核验通过' in out, 'verify of %s beside another database: %s%s' % (loc, out, err))
    anchors = [f for f in os.listdir(TMP) if f.endswith('.anchor') and f.startswith('postgresql')]
    check(len(anchors) == 3, 'one anchor per database: %s' % anchors)


def owner_and_desks():
    """README's server: the DBA's roles and database, init as the owner, desks as login roles in
    xinfang_desk. Every account's locator of the database finds the one anchor init wrote (named
    after the database, not the user); a role or database that does not exist and the desks'
    group role (NOLOGIN) are refused saying so and what to do, in Chinese."""
    psql("DROP DATABASE IF EXISTS xf_owned")
    for role in ('xf_clerk9', 'xf_owner9'):
        psql('DROP ROLE IF EXISTS %s' % role)
    psql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'xinfang_desk') THEN "
         "CREATE ROLE xinfang_desk NOLOGIN; END IF; END $$")
    psql('CREATE ROLE xf_owner9 LOGIN')
    psql('CREATE ROLE xf_clerk9 LOGIN IN ROLE xinfang_desk')
    psql("CREATE DATABASE xf_owned OWNER xf_owner9 TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'")
    where = 'postgresql:///xf_owned?host=%s' % SOCKET
    before = set(f for f in os.listdir(TMP) if f.endswith('.anchor'))
    xinfang(where + '&user=xf_owner9', 'init')
    made = set(f for f in os.listdir(TMP) if f.endswith('.anchor')) - before
    check(len(made) == 1, 'init as the owner wrote one anchor: %s' % made)
    # The desk's login, with the failover option README gives the desks, finds that anchor.
    psql('GRANT CREATE ON DATABASE xf_owned TO xf_clerk9')
    out, err = xinfang(where + '&user=xf_clerk9&target_session_attrs=read-write', 'verify', user='admin')
    check('核验通过' in out and '不见了' not in out, 'verify as a desk after init as the owner: ' + out + err)
    after = set(f for f in os.listdir(TMP) if f.endswith('.anchor')) - before
    check(after == made, 'the desk\'s verify kept the owner\'s anchor, not one of its own: %s' % after)
    # An anchor an earlier version named after the owner's whole locator: the owner's verify
    # gives it the database's name, and the desk then finds it.
    owner_loc = where + '&user=xf_owner9'
    h = 2166136261
    for byte in owner_loc.encode():
        h = ((h ^ byte) * 16777619) & 0xffffffff
    earlier = ''.join(c if c.isascii() and (c.isalnum() or c in '.-') else '_' for c in owner_loc[:80])
    earlier = '%s-%08x.anchor' % (earlier, h)
    if made:
        os.rename(os.path.join(TMP, sorted(made)[0]), os.path.join(TMP, earlier))
        out, err = xinfang(owner_loc, 'verify', user='admin')
        check('核验通过' in out, 'verify as the owner with the earlier anchor: ' + out + err)
        now = set(f for f in os.listdir(TMP) if f.endswith('.anchor')) - before
        check(now == made, 'the earlier anchor took the database\'s name: %s' % now)
        out, err = xinfang(where + '&user=xf_clerk9', 'verify', user='admin')
        check('核验通过' in out, 'verify as a desk after the rename: ' + out + err)
    out, err = xinfang(where + '&user=xf_nobody9', 'list', user='admin', expect=1)
    check('没有账户“xf_nobody9”' in err and 'CREATE ROLE xf_nobody9 LOGIN IN ROLE xinfang_desk' in err,
          'a role that does not exist: ' + err)
    out, err = xinfang('postgresql:///xf_nodb9?host=%s&user=xf_clerk9' % SOCKET, 'list', user='admin', expect=1)
    check('没有数据库“xf_nodb9”' in err and 'CREATE DATABASE' in err, 'a database that does not exist: ' + err)
    out, err = xinfang(where + '&user=xinfang_desk', 'list', user='admin', expect=1)
    check('不能登录' in err and 'user=' in err and '网络' not in err, 'the desks\' group role: ' + err)


production_day()
training_day()
backup_and_restore()
anchors_apart()
owner_and_desks()
for f in failures:
    print('FAIL:', f)
sys.exit(1 if failures else 0)
