#!/usr/bin/env python3
"""The PostgreSQL schema (data/schema/pg) against SQLite's (data/schema), migration for migration.

Run beside a throwaway cluster: tests/pg/with_cluster.sh python3 tests/pg/test_schema_same.py [SRCDIR]

The SQLite side runs data/schema/NNN_*.sql in order into :memory: with python's sqlite3 (the
FTS5 table with SQLite's own unicode61 tokenizer in place of the program's, which only the
program registers: the table's columns are the same). The PostgreSQL side runs
data/schema/pg/NNN_*.sql in order with psql, each file one transaction, into a new database of
the cluster. Both must reach the same version with the same tables and columns (names in
order, types by the mapping of pg/001, NOT NULL, defaults, identities, primary keys, uniques,
foreign keys, checks), the same indexes, views and triggers; the differences PostgreSQL needs
are listed in EXPECTED below and nothing else may differ. Then the desk's role made by
pg/roles.sql is tried (the audit table only appended to, no case deleted), and the same writes
on both backends must leave the same status-bar counts and the same index texts.
"""
import glob
import json
import os
import re
import sqlite3
import subprocess
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
SQLITE_DIR = os.path.join(SRC, 'data', 'schema')
PG_DIR = os.path.join(SQLITE_DIR, 'pg')
DB = 'xf_schema_%d' % os.getpid()
DESK = 'xf_test_desk_%d' % os.getpid()      # a name of the test's own: roles are the cluster's
CLERK = 'xf_test_clerk_%d' % os.getpid()
OWNER = 'xf_test_owner_%d' % os.getpid()    # runs the migrations: an ordinary role, not a superuser

# pg/001's mapping of SQLite's declared types (an FTS5 column has none: text).
TYPES = {'INTEGER': 'bigint', 'TEXT': 'text', 'REAL': 'double precision', '': 'text'}

# What PostgreSQL has that SQLite has not, and why (see the files named).
EXPECTED = {
    # pg/001: the version (SQLite's is PRAGMA user_version); pg/008: the search tokens (SQLite's
    # are inside the FTS5 table); pg/016: the cases whose tokens are to be cut again (SQLite's
    # connections note them in TEMP tables).
    'pg_only_tables': {'schema_version', 'search_tokens', 'search_dirty'},
    # pg/016: the triggers filling search_dirty (SQLite's are TEMP, made by each connection):
    # name, table, event, columns.
    'pg_only_triggers': dict(
        [('search_cases_insert_note', ('cases', 'INSERT', ())),
         ('search_cases_update_note', ('cases', 'UPDATE', ('accused', 'category', 'channel', 'department',
                                                           'importance', 'received', 'spot_answer', 'state',
                                                           'subject', 'summary')))]
        + [('search_%s_note' % t, (t, 'INSERT|UPDATE', ())) for t in
           ('petitioners', 'transfers', 'instructions', 'outcomes', 'replies', 'urgings', 'closures')]),
    # pg/008: FTS5's search is a table here, its rowid a column of its own in front.
    'pg_rowid_tables': {'search'},
    # pg/025: each index row's filters as one set (GIN), read first when they leave few rows
    # (FTS5 intersects its own lists on SQLite).
    'pg_only_indexes': {'search_facet_sets'},
}

# The cluster's own client (with_cluster.sh names its programs), else the one on PATH.
PSQL = os.path.join(os.environ.get('XINFANG_TEST_PG_BINDIR', ''), 'psql')
if not os.access(PSQL, os.X_OK):
    PSQL = 'psql'

failures = []


def check(ok, what):
    """Notes a failure (all are reported at the end, not just the first)."""
    if not ok:
        failures.append(what)
    return ok


def migrations(directory):
    """{version: file name} of the NNN_*.sql files of a directory."""
    out = {}
    for path in glob.glob(os.path.join(directory, '[0-9][0-9][0-9]_*.sql')):
        name = os.path.basename(path)
        out[int(name[:3])] = name
    return out


# ---------------------------------------------------------------------------------- SQLite side

def sqlite_schema():
    """Runs SQLite's migrations into :memory: as store_migrate does; returns the connection."""
    db = sqlite3.connect(':memory:', isolation_level=None)
    db.execute('PRAGMA foreign_keys = ON')
    for version, name in sorted(migrations(SQLITE_DIR).items()):
        with open(os.path.join(SQLITE_DIR, name), encoding='utf-8') as f:
            sql = f.read()
        sql = re.sub(r"tokenize\s*=\s*'xinfang2?'", "tokenize = 'unicode61'", sql)
        db.executescript('BEGIN;' + sql + ';PRAGMA user_version = %d; COMMIT;' % version)
    return db


def checks_of(sql):
    """{column: allowed values} of a CREATE TABLE's CHECKs, written as IN lists or comparisons."""
    out = {}
    for m in re.finditer(r'CHECK\s*\(', sql):
        depth, i = 1, m.end()
        while depth:
            depth += {'(': 1, ')': -1}.get(sql[i], 0)
            i += 1
        body = sql[m.end():i - 1]
        inlist = re.fullmatch(r"\s*(\w+)\s+IN\s*\((.*)\)\s*", body, re.S)
        if inlist:
            out[inlist.group(1)] = sorted(re.findall(r"'([^']*)'", inlist.group(2)))
        else:
            for col, val in re.findall(r"(\w+)\s*=\s*'([^']*)'", body):
                out.setdefault(col, []).append(val)
            for col in out:
                out[col].sort()
    return out


def sqlite_describe(db):
    """The schema as comparable data."""
    rows = db.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema "
                      "WHERE name NOT LIKE 'sqlite_%'").fetchall()
    virtual = {name for kind, name, _, sql in rows if kind == 'table' and sql.upper().startswith('CREATE VIRTUAL')}
    shadow = {v + '_' + s for v in virtual for s in ('data', 'idx', 'content', 'docsize', 'config')}
    out = {'tables': {}, 'indexes': {}, 'views': {}, 'triggers': {}}
    for kind, name, table, sql in rows:
        if kind == 'table' and name not in shadow:
            cols = db.execute('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)', (name,)).fetchall()
            pk = [c[0] for c in sorted((c for c in cols if c[4]), key=lambda c: c[4])]
            columns = []
            for cname, ctype, notnull, default, _ in cols:
                rowid_alias = pk == [cname] and ctype.upper() == 'INTEGER'
                # A key is never NULL on PostgreSQL; SQLite lets one be NULL unless it is the
                # rowid (an old quirk of its own), which the program never uses.
                columns.append({'name': cname, 'type': TYPES.get(ctype.upper(), '?' + ctype),
                                'notnull': bool(notnull) or cname in pk, 'default': default,
                                'identity': rowid_alias and cname == 'id'})
            uniques = []
            for _, iname, unique, origin, _ in db.execute('PRAGMA index_list(%s)' % name).fetchall():
                if origin == 'u':
                    uniques.append([r[2] for r in db.execute('PRAGMA index_info(%s)' % iname)])
            fks = {}
            for fid, _, ref, frm, to, *_ in db.execute('PRAGMA foreign_key_list(%s)' % name).fetchall():
                fk = fks.setdefault(fid, [ref, [], []])
                fk[1].append(frm)
                fk[2].append(to)
            out['tables'][name] = {'columns': columns, 'pk': pk, 'uniques': sorted(uniques),
                                   'fks': sorted(fks.values()), 'checks': checks_of(sql),
                                   'virtual': name in virtual}
        elif kind == 'index':
            cols = [r[2] for r in db.execute('PRAGMA index_info(%s)' % name)]
            partial = bool(re.search(r'\)\s*WHERE\s', sql, re.I))
            out['indexes'][name] = {'table': table, 'columns': cols, 'partial': partial,
                                    'unique': sql.upper().startswith('CREATE UNIQUE')}
        elif kind == 'view':
            out['views'][name] = [r[0] for r in db.execute('SELECT name FROM pragma_table_info(?)', (name,))]
        elif kind == 'trigger':
            m = re.search(r'\b(BEFORE|AFTER|INSTEAD\s+OF)\s+(INSERT|DELETE|UPDATE)(\s+OF\s+(.*?))?\s+ON\s', sql, re.I | re.S)
            of = sorted(c.strip() for c in m.group(4).split(',')) if m.group(4) else []
            out['triggers'][name] = {'table': table, 'timing': m.group(1).upper(), 'event': m.group(2).upper(),
                                     'of': of, 'row': True}
    return out


# ------------------------------------------------------------------------------ PostgreSQL side

def psql(sql=None, db=DB, user=None, files=(), check_ok=True):
    """Runs psql (one transaction, stopping at the first error); returns the process."""
    args = [PSQL, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db]
    if user:
        args += ['-U', user]
    if sql is not None:
        args += ['-c', sql]
    for f in files:
        args += ['--single-transaction', '-f', f]
    env = dict(os.environ, PGOPTIONS='-c client_min_messages=warning ' + os.environ.get('PGOPTIONS', ''))
    p = subprocess.run(args, capture_output=True, text=True, encoding='utf-8', env=env)
    if check_ok and p.returncode != 0:
        raise SystemExit('psql failed (%s): %s' % (sql or ' '.join(files), p.stderr.strip()))
    return p


def pg_json(sql, user=None):
    """One JSON value a query returns."""
    return json.loads(psql(sql, user=user).stdout)


PG_TABLES = """
SELECT json_object_agg(c.relname, json_build_object(
  'columns', (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                'notnull', a.attnotnull, 'default', pg_get_expr(d.adbin, d.adrelid), 'identity', a.attidentity <> '')
                ORDER BY a.attnum)
              FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
  'constraints', (SELECT coalesce(json_agg(json_build_object('type', k.contype, 'def', pg_get_constraintdef(k.oid),
                    'cols', (SELECT json_agg(a.attname ORDER BY x.n) FROM unnest(k.conkey) WITH ORDINALITY x(num, n)
                             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.num),
                    'ref', k.confrelid::regclass::text,
                    'refcols', (SELECT json_agg(a.attname ORDER BY x.n) FROM unnest(k.confkey) WITH ORDINALITY x(num, n)
                                JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.num))), '[]')
                  FROM pg_constraint k WHERE k.conrelid = c.oid)))
FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
"""
PG_INDEXES = """
SELECT coalesce(json_object_agg(ic.relname, json_build_object('table', tc.relname, 'partial', i.indpred IS NOT NULL,
  'unique', i.indisunique,
  'columns', (SELECT json_agg(a.attname ORDER BY x.n) FROM unnest(i.indkey::int2[]) WITH ORDINALITY x(num, n)
              LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = x.num))), '{}')
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
WHERE tc.relnamespace = current_schema()::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
"""
PG_VIEWS = """
SELECT coalesce(json_object_agg(c.relname, (SELECT json_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a
                                            WHERE a.attrelid = c.oid AND a.attnum > 0)), '{}')
FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'v'
"""
PG_TRIGGERS = """
SELECT coalesce(json_agg(json_build_object('name', t.tgname, 'table', c.relname, 'type', t.tgtype,
  'of', (SELECT coalesce(json_agg(a.attname ORDER BY a.attname), '[]') FROM unnest(t.tgattr::int2[]) x(num)
         JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = x.num))), '[]')
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
"""


def pg_describe():
    """The PostgreSQL schema as the same data as sqlite_describe."""
    out = {'tables': {}, 'indexes': pg_json(PG_INDEXES), 'views': pg_json(PG_VIEWS), 'triggers': {}}
    for name, t in pg_json(PG_TABLES).items():
        columns = []
        for c in t['columns']:
            default = c['default']
            if default is not None:
                default = re.sub(r"::(text|bigint|integer)$", '', default)
            columns.append(dict(c, default=default))
        cons = t['constraints']
        checks = {}
        for k in cons:
            if k['type'] == 'c':
                for col, val in re.findall(r"\(?(\w+) = '([^']*)'(?:::text)?\)?", k['def']):
                    checks.setdefault(col, []).append(val)
        out['tables'][name] = {
            'columns': columns,
            'pk': next((k['cols'] for k in cons if k['type'] == 'p'), []),
            'uniques': sorted(k['cols'] for k in cons if k['type'] == 'u'),
            'fks': sorted([k['ref'], k['cols'], k['refcols']] for k in cons if k['type'] == 'f'),
            'checks': {col: sorted(v) for col, v in checks.items()},
        }
    for t in pg_json(PG_TRIGGERS):
        bits = t['type']
        event = [e for bit, e in ((4, 'INSERT'), (8, 'DELETE'), (16, 'UPDATE'), (32, 'TRUNCATE')) if bits & bit]
        timing = 'INSTEAD OF' if bits & 64 else 'BEFORE' if bits & 2 else 'AFTER'
        out['triggers'][t['name'] + '@' + t['table']] = {'name': t['name'], 'table': t['table'], 'timing': timing,
                                                          'event': '|'.join(event), 'of': t['of'],
                                                          'row': bool(bits & 1)}
    return out


# ---------------------------------------------------------------------------------- comparison

def compare(lite, pg):
    """Every difference between the two schemas that EXPECTED does not explain is a failure."""
    lt, pt = lite['tables'], pg['tables']
    check(set(pt) - set(lt) == EXPECTED['pg_only_tables'],
          'tables only on PostgreSQL: %s' % sorted(set(pt) - set(lt)))
    check(not set(lt) - set(pt), 'tables missing on PostgreSQL: %s' % sorted(set(lt) - set(pt)))
    for name in sorted(set(lt) & set(pt)):
        a, b = lt[name], pt[name]
        bcols = b['columns']
        if name in EXPECTED['pg_rowid_tables']:
            check(a['virtual'] and bcols[0]['name'] == 'rowid' and bcols[0]['type'] == 'bigint'
                  and b['pk'] == ['rowid'], '%s: PostgreSQL keeps the FTS5 rowid as its first column, the key' % name)
            bcols = bcols[1:]
            a = dict(a, pk=b['pk'])
        check([c['name'] for c in a['columns']] == [c['name'] for c in bcols],
              '%s: columns %s on SQLite, %s on PostgreSQL' % (name, [c['name'] for c in a['columns']],
                                                             [c['name'] for c in bcols]))
        for ca, cb in zip(a['columns'], bcols):
            for key in ('type', 'notnull', 'default', 'identity'):
                check(ca[key] == cb[key], '%s.%s: %s %r on SQLite, %r on PostgreSQL' % (name, ca['name'], key, ca[key],
                                                                                       cb[key]))
        for key in ('pk', 'uniques', 'fks', 'checks'):
            check(a[key] == b[key], '%s: %s %r on SQLite, %r on PostgreSQL' % (name, key, a[key], b[key]))

    li, pi = lite['indexes'], pg['indexes']
    pi = {k: v for k, v in pi.items()
          if v['table'] not in EXPECTED['pg_only_tables'] and k not in EXPECTED['pg_only_indexes']}
    check(EXPECTED['pg_only_indexes'] <= set(pg['indexes']),
          'indexes PostgreSQL should have: %s' % sorted(EXPECTED['pg_only_indexes'] - set(pg['indexes'])))
    check(set(li) == set(pi), 'indexes only on SQLite: %s, only on PostgreSQL: %s' % (sorted(set(li) - set(pi)),
                                                                                      sorted(set(pi) - set(li))))
    for name in sorted(set(li) & set(pi)):
        check(li[name] == pi[name], 'index %s: %r on SQLite, %r on PostgreSQL' % (name, li[name], pi[name]))

    check(lite['views'] == pg['views'], 'views: %r on SQLite, %r on PostgreSQL' % (lite['views'], pg['views']))

    # Triggers: SQLite's, each by name, table, timing, event and columns; PostgreSQL's beyond
    # them only the TRUNCATE guard of each table SQLite guards against DELETE.
    pgt = dict(pg['triggers'])
    for name, t in sorted(lite['triggers'].items()):
        got = pgt.pop(name + '@' + t['table'], None)
        check(got is not None and all(got[k] == t[k] for k in ('timing', 'event', 'of', 'row')),
              'trigger %s: %r on SQLite, %r on PostgreSQL' % (name, t, got))
    for name, (table, event, of) in EXPECTED['pg_only_triggers'].items():
        got = pgt.pop(name + '@' + table, None)
        check(got is not None and got['timing'] == 'AFTER' and got['event'] == event and got['row']
              and tuple(got['of']) == of, 'trigger %s on PostgreSQL: %r' % (name, got))
    guarded = {t['table'] for n, t in lite['triggers'].items() if n.endswith('_no_delete')}
    for key, t in sorted(pgt.items()):
        check(t['name'].endswith('_no_truncate') and t['event'] == 'TRUNCATE' and t['timing'] == 'BEFORE'
              and t['table'] in guarded, 'trigger only on PostgreSQL: %r' % t)
    truncate_guarded = {t['table'] for t in pgt.values() if t['event'] == 'TRUNCATE'}
    check(truncate_guarded == guarded, 'tables guarded against DELETE but not TRUNCATE on PostgreSQL: %s'
          % sorted(guarded - truncate_guarded))


# ------------------------------------------------------------------------- the desk's privileges

def refused(sql, user, message):
    """The statement fails, saying message."""
    p = psql(sql, user=user, check_ok=False)
    check(p.returncode != 0 and message in p.stderr,
          'as %s, %r: expected refusal "%s", got rc %d %s' % (user, sql, message, p.returncode, p.stderr.strip()))


def accepted(sql, user):
    """The statement succeeds."""
    p = psql(sql, user=user, check_ok=False)
    check(p.returncode == 0, 'as %s, %r: refused: %s' % (user, sql, p.stderr.strip()))


# The same writes for both backends (each statement valid on both).
CASE = ("INSERT INTO cases (year, seq, number, state, received, channel, category, ruleset, due_transfer, "
        "due_handle, due_reply, orig_due_handle, orig_due_reply, created_by, created_at, department, subject, summary) "
        "VALUES (2026, {seq}, '2026-{seq:04d}', 'queued', '{received}', '来信', '投诉', 'bank', '{d1}', '{d2}', '{d3}', "
        "'{d2}', '{d3}', 'clerk', '2026-01-05 09:00:00', '{dept}', '{subject}', '{summary}')")
WRITES = [
    "INSERT INTO channels (name) VALUES ('来信')",
    "INSERT INTO categories (name, kind, grp) VALUES ('投诉', '投诉', 'general')",
    "INSERT INTO departments (name) VALUES ('零售部')",
    CASE.format(seq=1, received='2026-01-05', d1='2026-01-08', d2='2026-01-20', d3='2026-02-04', dept='',
                subject='柜台排队', summary='网点排队两小时\ue000s:closed'),
    CASE.format(seq=2, received='2026-02-30', d1='2026-01-09', d2='2026-01-20', d3='2026-02-05', dept='零售部',
                subject='理财', summary='到期未兑付'),
    CASE.format(seq=3, received='2026-01-07', d1='', d2='2026-01-21', d3='2026-02-05', dept='零售部',
                subject="O''Neil", summary='信用卡年费'),
    "INSERT INTO petitioners (case_id, ord, name, id_number, phone, address) VALUES (1, 0, '张三', '11010519491231002X', "
    "'13800138000', '北京市')",
    "INSERT INTO petitioners (case_id, ord, name) VALUES (1, 1, '李四')",
    "INSERT INTO transfers (case_id, department, summary, deadline, transfer_date, at, actor) "
    "VALUES (2, '零售部', '请核实', '2026-01-20', '2026-01-06', '2026-01-06', 'head')",
    "INSERT INTO transfers (case_id, department, summary, opinion, deadline, transfer_date, at, actor) "
    "VALUES (2, '零售部', '再转', '尽快', '2026-01-21', '2026-01-07', '2026-01-07', 'head')",
    "UPDATE cases SET state = 'transferred', department = '零售部', transferred_on = '2026-01-06' WHERE id = 1",
    "UPDATE cases SET state = 'reported', reported_on = '2026-01-08' WHERE id = 2",
    "UPDATE cases SET due_reply = '2026-02-06' WHERE id = 3",
]
READS = [
    'SELECT kind, scope, department, due, n FROM pending_counts ORDER BY kind, scope, department, due',
    'SELECT case_id, row, texts, people, numbers, facets FROM search_source ORDER BY case_id',
    'SELECT id, number, department, state FROM cases ORDER BY id',
]


def same_writes(lite):
    """The writes on both backends (on PostgreSQL as the desk) leave the same counts and texts."""
    for sql in WRITES:
        lite.execute(sql)
        accepted(sql, CLERK)
    for sql in READS:
        want = [list(r) for r in lite.execute(sql).fetchall()]
        got = pg_json("SELECT coalesce(json_agg(json_build_array(%s)), '[]') FROM (%s) q"
                      % (sql.split('SELECT ', 1)[1].split(' FROM')[0], sql))
        check(want == got, '%s:\n  SQLite     %r\n  PostgreSQL %r' % (sql, want, got))
    # The desk's writes noted every case they changed, for the index to cut again (pg/016);
    # the update of case 3's due date alone changed nothing searched, and case 3 is there
    # from its insert.
    psql('DELETE FROM search_dirty WHERE case_id = 3', user=CLERK)
    accepted("UPDATE cases SET due_reply = '2026-02-07' WHERE id = 3", CLERK)
    accepted("UPDATE cases SET subject = '柜台' WHERE id = 1", CLERK)
    dirty = pg_json("SELECT coalesce(json_agg(case_id ORDER BY case_id), '[]') FROM search_dirty")
    check(dirty == [1, 2], 'cases noted for the text index: %r' % dirty)
    lite.execute("UPDATE cases SET due_reply = '2026-02-07' WHERE id = 3")
    lite.execute("UPDATE cases SET subject = '柜台' WHERE id = 1")


def desk_guards():
    """As the desk's role: the audit table only appended to, no record deleted; as the owner the
    triggers refuse the same."""
    audit = "INSERT INTO audit (id, at, operator, action, case_id) VALUES (%d, '2026-01-05', 'clerk', 'test', 1)"
    accepted(audit % 1, CLERK)
    refused(audit % 5, CLERK, 'audit records are only appended to the chain, numbered after the newest')
    refused(audit % 1, CLERK, 'numbered after the newest')
    refused("UPDATE audit SET action = 'x'", CLERK, 'permission denied for table audit')
    refused('DELETE FROM audit', CLERK, 'permission denied for table audit')
    refused('TRUNCATE audit', CLERK, 'permission denied for table audit')
    refused('DELETE FROM cases WHERE id = 1', CLERK, 'permission denied for table cases')
    refused('TRUNCATE cases CASCADE', CLERK, 'permission denied for table cases')
    refused('UPDATE schema_version SET version = 99', CLERK, 'permission denied for table schema_version')
    refused('CREATE TABLE mine (x int)', CLERK, 'permission denied for schema')
    refused('DROP TRIGGER audit_no_update ON audit', CLERK, 'must be owner of')
    accepted(audit % 2, CLERK)
    accepted("INSERT INTO drafts VALUES ('clerk', 'reg', '{}', 'now')", CLERK)
    accepted("DELETE FROM drafts WHERE operator = 'clerk'", CLERK)
    # The owner is refused by the triggers (the same messages as SQLite's).
    refused("UPDATE audit SET action = 'x' WHERE id = 1", OWNER, 'audit records are never changed')
    refused("INSERT INTO audit (id, at, operator, action) VALUES (1, 'x', 'x', 'x') "
            "ON CONFLICT (id) DO UPDATE SET action = 'y'", OWNER, 'numbered after the newest')
    refused('DELETE FROM audit WHERE id = 2', OWNER, 'records are never deleted')
    refused('DELETE FROM cases WHERE id = 3', OWNER, 'records are never deleted')
    refused('TRUNCATE audit', OWNER, 'records are never deleted')
    refused('TRUNCATE cases CASCADE', OWNER, 'records are never deleted')
    accepted("INSERT INTO logins (name) VALUES ('clerk')", CLERK)
    refused("UPDATE logins SET name = 'head' WHERE name = 'clerk'", CLERK, 'a login counter keeps its name')
    refused("DELETE FROM logins", OWNER, 'records are never deleted')
    accepted("UPDATE logins SET failures = 1 WHERE name = 'clerk'", CLERK)
    # What the role holds, read from the catalog: DELETE only where the program removes rows
    # that are not records, TRUNCATE nowhere, the audit table only read and appended to.
    held = pg_json("SELECT json_build_array("
                   "(SELECT json_agg(relname ORDER BY relname) FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
                   " AND relkind = 'r' AND has_table_privilege('%s', oid, 'DELETE')),"
                   "(SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' "
                   " AND has_table_privilege('%s', oid, 'TRUNCATE, REFERENCES, TRIGGER')),"
                   "(SELECT json_agg(p ORDER BY p) FROM unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p "
                   " WHERE has_table_privilege('%s', 'audit', p)))" % (DESK, DESK, DESK))
    check(held == [['calendar_days', 'drafts', 'limit_rules', 'rulesets', 'search', 'search_dirty', 'search_rows',
                    'search_tokens'],
                   0, ['INSERT', 'SELECT']], "the desk's role holds %r" % held)
    # roles.sql refuses a desk role it cannot make, and one that is the owner.
    missing = "SET xinfang.desk_role = 'xf_test_nobody_%d';" % os.getpid()
    psql('ALTER ROLE %s NOCREATEROLE' % OWNER)
    refused(missing + roles_sql(), OWNER, '不存在')
    refused("SET xinfang.desk_role = '%s';" % OWNER + roles_sql(), OWNER, '是表的所有者')
    count = pg_json('SELECT json_build_array((SELECT count(*) FROM audit), (SELECT count(*) FROM cases))')
    check(count == [2, 3], 'after the refusals: %r audit records and cases, expected [2, 3]' % count)


def roles_sql():
    """The text of pg/roles.sql."""
    with open(os.path.join(PG_DIR, 'roles.sql'), encoding='utf-8') as f:
        return f.read()


def main():
    lite_files, pg_files = migrations(SQLITE_DIR), migrations(PG_DIR)
    check(lite_files == pg_files, 'migrations only on SQLite: %s, only on PostgreSQL: %s'
          % (sorted(set(lite_files.values()) - set(pg_files.values())),
             sorted(set(pg_files.values()) - set(lite_files.values()))))
    if 'PGHOST' not in os.environ:
        raise SystemExit('no cluster: run me under tests/pg/with_cluster.sh')

    lite = sqlite_schema()
    # pg/001 refuses a database that does not compare text byte by byte (as SQLite does).
    other = DB + '_icu'
    psql("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'zh' LOCALE 'C.UTF-8'"
         % other, db='postgres')
    p = psql(db=other, files=[os.path.join(PG_DIR, pg_files[1])], check_ok=False)
    check(p.returncode != 0 and '排序规则' in p.stderr, 'pg/001 in a database sorting by zh: %s' % p.stderr.strip())
    psql('DROP DATABASE %s' % other, db='postgres')
    psql('CREATE ROLE %s LOGIN CREATEROLE' % OWNER, db='postgres')
    psql("CREATE DATABASE %s OWNER %s TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'" % (DB, OWNER), db='postgres')
    try:
        for version, name in sorted(pg_files.items()):
            psql(files=[os.path.join(PG_DIR, name)], user=OWNER)
        lite_version = lite.execute('PRAGMA user_version').fetchone()[0]
        pg_version = pg_json('SELECT version FROM schema_version')
        check(lite_version == pg_version == max(lite_files),
              'versions: SQLite %d, PostgreSQL %d, newest migration %d' % (lite_version, pg_version, max(lite_files)))
        compare(sqlite_describe(lite), pg_describe())

        # The desk's role, by a name of the test's own, and a login role in it.
        env_role = "SET xinfang.desk_role = '%s';" % DESK
        psql(env_role + roles_sql(), user=OWNER)
        psql(env_role + roles_sql(), user=OWNER)  # again: nothing changes, nothing fails
        psql('CREATE ROLE %s LOGIN IN ROLE %s' % (CLERK, DESK))
        same_writes(lite)
        desk_guards()
    finally:
        psql('DROP DATABASE IF EXISTS %s' % DB, db='postgres', check_ok=False)
        for role in (CLERK, DESK, OWNER):
            psql('DROP ROLE IF EXISTS %s' % role, db='postgres', check_ok=False)

    for f in failures:
        print('FAIL', f)
    print('%d differences' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
