-- xinfang schema, version 17: branches. A bank's petitions pass between offices: the hotline
-- registers centrally, every branch keeps its own office, the head office supervises them all.
-- The branch is part of the record: one schema with a branch column on every case, account,
-- department and audit record (and the numbering and the status bar's counts), not a schema
-- per branch, so every query of a branch filters by it and the branch could later be the
-- distribution key of a sharded server.
--
-- branches: id 1 is always the store's own branch (a branch's file, or the head office on a
-- server); a store upgraded from one office gets it with no code yet and the name 本行, and
-- nothing it shows changes: the column's default is 1, so every row already written belongs
-- to it, keeps its bytes, and keeps its snapshot (a column holding its default is left out of
-- the canonical JSON). path lists the ids from the top down ('/1/7/'), so a branch and every
-- branch under it are the rows whose path starts with its own. pushed marks a branch whose
-- records arrive by `xinfang push` from its own file: read-only here.
CREATE TABLE branches (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL DEFAULT '',
  name       TEXT NOT NULL,
  parent     INTEGER,
  path       TEXT NOT NULL,
  pushed     INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX branches_code ON branches(code) WHERE code <> '';
CREATE INDEX branches_path ON branches(path);
CREATE TRIGGER branches_no_delete BEFORE DELETE ON branches BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
-- A store that holds an office's records gets its branch here; a new one from init.
INSERT INTO branches (id, code, name, parent, path) SELECT 1, '', '本行', NULL, '/1/' WHERE EXISTS (SELECT 1 FROM operators);

ALTER TABLE cases ADD COLUMN branch INTEGER NOT NULL DEFAULT 1;
ALTER TABLE operators ADD COLUMN branch INTEGER NOT NULL DEFAULT 1;
ALTER TABLE departments ADD COLUMN branch INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit ADD COLUMN branch INTEGER NOT NULL DEFAULT 1;

-- A case's number and its year's sequence are unique within its branch (two branches both
-- have a 2026年第0001号), a department's name within its branch; the supervisor (督办) is a
-- role (its check also read as version 1 wrote it, for a store brought up without version
-- 15's edit). As in version 15, the tables' SQL is edited in place and the indexes the constraints
-- own are built again from the rows (REINDEX), instead of copying every case into a new table.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(replace(sql,
  'number          TEXT NOT NULL UNIQUE,', 'number          TEXT NOT NULL,'),
  'UNIQUE (year, seq)', 'UNIQUE (branch, number), UNIQUE (branch, year, seq)')
WHERE type = 'table' AND name = 'cases';
UPDATE sqlite_schema SET sql = replace(sql, 'name   TEXT NOT NULL UNIQUE,', 'name   TEXT NOT NULL,')
WHERE type = 'table' AND name = 'departments';
UPDATE sqlite_schema SET sql = substr(sql, 1, length(sql) - 1) || ', UNIQUE (branch, name))'
WHERE type = 'table' AND name = 'departments';
UPDATE sqlite_schema SET sql = replace(replace(sql,
  'CHECK (role IN (''operator'', ''head'', ''handler'', ''admin''))',
  'CHECK (role = ''operator'' OR role = ''head'' OR role = ''handler'' OR role = ''admin'')'),
  'CHECK (role = ''operator'' OR role = ''head'' OR role = ''handler'' OR role = ''admin'')',
  'CHECK (role = ''operator'' OR role = ''head'' OR role = ''handler'' OR role = ''admin'' OR role = ''supervisor'')')
WHERE type = 'table' AND name = 'operators';
PRAGMA writable_schema = RESET;
REINDEX cases;
REINDEX departments;
CREATE INDEX cases_branch ON cases(branch, state, received);
CREATE INDEX operators_branch ON operators(branch);

-- Numbers run per branch per year: number_seq gets the branch in its key (a small table,
-- copied; its rows of branch 1 keep their snapshot).
CREATE TABLE number_seq_17 (
  year   INTEGER NOT NULL,
  last   INTEGER NOT NULL,
  branch INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (branch, year)
);
INSERT INTO number_seq_17 (year, last) SELECT year, last FROM number_seq;
DROP TABLE number_seq;
ALTER TABLE number_seq_17 RENAME TO number_seq;

-- The status bar's counts (version 14) are kept per branch: scope 0 is the whole branch, scope
-- 1 a department of it; an account over several branches adds up theirs. The branch leads the
-- columns as it leads the key (SQLite 3.40's integrity_check misreads a WITHOUT ROWID table
-- whose key columns are not its first ones).
DROP TRIGGER pending_counts_insert;
DROP TRIGGER pending_counts_update;
DROP TRIGGER pending_counts_delete;
DROP TABLE pending_counts;
CREATE TABLE pending_counts (
  branch     INTEGER NOT NULL,
  kind       INTEGER NOT NULL,
  scope      INTEGER NOT NULL,
  department TEXT NOT NULL,
  due        TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (branch, kind, scope, department, due)
) WITHOUT ROWID;

INSERT INTO pending_counts (branch, kind, scope, department, due, n)
SELECT branch, kind, scope, department, due, count(*) FROM (
  SELECT branch, 0 AS kind, 0 AS scope, '' AS department, due_transfer AS due FROM cases WHERE state = 'queued' AND due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT branch, 0, 0, '', '*' FROM cases WHERE state = 'queued' AND due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT branch, 0, 1, department, due_transfer FROM cases WHERE state = 'queued' AND due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT branch, 0, 1, department, '*' FROM cases WHERE state = 'queued' AND due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT branch, 1, 0, '', due_handle FROM cases WHERE state IN ('queued', 'transferred') AND due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT branch, 1, 0, '', '*' FROM cases WHERE state IN ('queued', 'transferred') AND due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT branch, 1, 1, department, due_handle FROM cases WHERE state IN ('queued', 'transferred') AND due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT branch, 1, 1, department, '*' FROM cases WHERE state IN ('queued', 'transferred') AND due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT branch, 2, 0, '', due_reply FROM cases WHERE state IN ('queued', 'transferred', 'reported') AND due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT branch, 2, 0, '', '*' FROM cases WHERE state IN ('queued', 'transferred', 'reported') AND due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT branch, 2, 1, department, due_reply FROM cases WHERE state IN ('queued', 'transferred', 'reported') AND due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT branch, 2, 1, department, '*' FROM cases WHERE state IN ('queued', 'transferred', 'reported') AND due_reply BETWEEN '0000-00-00' AND '9999-99-99'
) GROUP BY branch, kind, scope, department, due;

CREATE TRIGGER pending_counts_insert AFTER INSERT ON cases BEGIN
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 0, 0, '', NEW.due_transfer, 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 0, 0, '', '*', 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 0, 1, NEW.department, NEW.due_transfer, 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 0, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 1, 0, '', NEW.due_handle, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 1, 0, '', '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 1, 1, NEW.department, NEW.due_handle, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 1, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 2, 0, '', NEW.due_reply, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 2, 0, '', '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 2, 1, NEW.department, NEW.due_reply, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 2, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER pending_counts_update AFTER UPDATE OF state, department, branch, due_transfer, due_handle, due_reply ON cases
BEGIN
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 0 AND scope = 0 AND department = ''
  AND (due = OLD.due_transfer OR due = '*') AND (OLD.state = 'queued') AND OLD.due_transfer BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 0 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_transfer OR due = '*') AND (OLD.state = 'queued') AND OLD.due_transfer BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 1 AND scope = 0 AND department = ''
  AND (due = OLD.due_handle OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred') AND OLD.due_handle BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 1 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_handle OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred') AND OLD.due_handle BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 2 AND scope = 0 AND department = ''
  AND (due = OLD.due_reply OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred' OR OLD.state = 'reported') AND OLD.due_reply BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 2 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_reply OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred' OR OLD.state = 'reported') AND OLD.due_reply BETWEEN '0000-00-00' AND '9999-99-99';
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 0, 0, '', NEW.due_transfer, 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 0, 0, '', '*', 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 0, 1, NEW.department, NEW.due_transfer, 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 0, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 1, 0, '', NEW.due_handle, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 1, 0, '', '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 1, 1, NEW.department, NEW.due_handle, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 1, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 2, 0, '', NEW.due_reply, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 2, 0, '', '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 2, 1, NEW.department, NEW.due_reply, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT NEW.branch, 2, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER pending_counts_delete AFTER DELETE ON cases BEGIN
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 0 AND scope = 0 AND department = ''
  AND (due = OLD.due_transfer OR due = '*') AND (OLD.state = 'queued') AND OLD.due_transfer BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 0 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_transfer OR due = '*') AND (OLD.state = 'queued') AND OLD.due_transfer BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 1 AND scope = 0 AND department = ''
  AND (due = OLD.due_handle OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred') AND OLD.due_handle BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 1 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_handle OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred') AND OLD.due_handle BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 2 AND scope = 0 AND department = ''
  AND (due = OLD.due_reply OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred' OR OLD.state = 'reported') AND OLD.due_reply BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE branch = OLD.branch AND kind = 2 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_reply OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred' OR OLD.state = 'reported') AND OLD.due_reply BETWEEN '0000-00-00' AND '9999-99-99';
END;
