-- xinfang schema, version 14: the status bar's counts kept as they change. The bar counted
-- the open cases due in a range (the overdue ones since the beginning), so its cost grew with
-- a neglected backlog (6.3 ms with 60,000 cases open). pending_counts holds, for each limit
-- (0 转办 due_transfer, 1 周限 due_handle, 2 月限 due_reply), the number of cases still pending
-- that limit per due date and in all ('*'), for the whole office (scope 0, department '') and
-- per department (scope 1); triggers keep it in the same transaction as every write to cases,
-- whoever writes. The bar reads the totals and the few dates from today on (overdue = total
-- less those due today or later). The pending states and the date test are those of the
-- partial indexes cases_due_* and of the counts they replace. The triggers are written as
-- single-row statements with comparisons: an IN list or a compound subquery in a trigger
-- builds a temporary b-tree on every row written, which on disk temporary storage made every
-- insert into cases fifty times slower.
CREATE TABLE pending_counts (
  kind       INTEGER NOT NULL,
  scope      INTEGER NOT NULL,
  department TEXT NOT NULL,
  due        TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (kind, scope, department, due)
) WITHOUT ROWID;

INSERT INTO pending_counts (kind, scope, department, due, n)
SELECT kind, scope, department, due, count(*) FROM (
  SELECT 0 AS kind, 0 AS scope, '' AS department, due_transfer AS due FROM cases WHERE state = 'queued' AND due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT 0, 0, '', '*' FROM cases WHERE state = 'queued' AND due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT 0, 1, department, due_transfer FROM cases WHERE state = 'queued' AND due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT 0, 1, department, '*' FROM cases WHERE state = 'queued' AND due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT 1, 0, '', due_handle FROM cases WHERE state IN ('queued', 'transferred') AND due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT 1, 0, '', '*' FROM cases WHERE state IN ('queued', 'transferred') AND due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT 1, 1, department, due_handle FROM cases WHERE state IN ('queued', 'transferred') AND due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT 1, 1, department, '*' FROM cases WHERE state IN ('queued', 'transferred') AND due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT 2, 0, '', due_reply FROM cases WHERE state IN ('queued', 'transferred', 'reported') AND due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT 2, 0, '', '*' FROM cases WHERE state IN ('queued', 'transferred', 'reported') AND due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT 2, 1, department, due_reply FROM cases WHERE state IN ('queued', 'transferred', 'reported') AND due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  UNION ALL SELECT 2, 1, department, '*' FROM cases WHERE state IN ('queued', 'transferred', 'reported') AND due_reply BETWEEN '0000-00-00' AND '9999-99-99'
) GROUP BY kind, scope, department, due;

CREATE TRIGGER pending_counts_insert AFTER INSERT ON cases BEGIN
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 0, 0, '', NEW.due_transfer, 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 0, 0, '', '*', 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 0, 1, NEW.department, NEW.due_transfer, 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 0, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 1, 0, '', NEW.due_handle, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 1, 0, '', '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 1, 1, NEW.department, NEW.due_handle, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 1, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 2, 0, '', NEW.due_reply, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 2, 0, '', '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 2, 1, NEW.department, NEW.due_reply, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 2, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER pending_counts_update AFTER UPDATE OF state, department, due_transfer, due_handle, due_reply ON cases
BEGIN
  UPDATE pending_counts SET n = n - 1 WHERE kind = 0 AND scope = 0 AND department = ''
  AND (due = OLD.due_transfer OR due = '*') AND (OLD.state = 'queued') AND OLD.due_transfer BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE kind = 0 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_transfer OR due = '*') AND (OLD.state = 'queued') AND OLD.due_transfer BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE kind = 1 AND scope = 0 AND department = ''
  AND (due = OLD.due_handle OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred') AND OLD.due_handle BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE kind = 1 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_handle OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred') AND OLD.due_handle BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE kind = 2 AND scope = 0 AND department = ''
  AND (due = OLD.due_reply OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred' OR OLD.state = 'reported') AND OLD.due_reply BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE kind = 2 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_reply OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred' OR OLD.state = 'reported') AND OLD.due_reply BETWEEN '0000-00-00' AND '9999-99-99';
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 0, 0, '', NEW.due_transfer, 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 0, 0, '', '*', 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 0, 1, NEW.department, NEW.due_transfer, 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 0, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued') AND NEW.due_transfer BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 1, 0, '', NEW.due_handle, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 1, 0, '', '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 1, 1, NEW.department, NEW.due_handle, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 1, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred') AND NEW.due_handle BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 2, 0, '', NEW.due_reply, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 2, 0, '', '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 2, 1, NEW.department, NEW.due_reply, 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
  INSERT INTO pending_counts (kind, scope, department, due, n) SELECT 2, 1, NEW.department, '*', 1
  WHERE (NEW.state = 'queued' OR NEW.state = 'transferred' OR NEW.state = 'reported') AND NEW.due_reply BETWEEN '0000-00-00' AND '9999-99-99'
  ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER pending_counts_delete AFTER DELETE ON cases BEGIN
  UPDATE pending_counts SET n = n - 1 WHERE kind = 0 AND scope = 0 AND department = ''
  AND (due = OLD.due_transfer OR due = '*') AND (OLD.state = 'queued') AND OLD.due_transfer BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE kind = 0 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_transfer OR due = '*') AND (OLD.state = 'queued') AND OLD.due_transfer BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE kind = 1 AND scope = 0 AND department = ''
  AND (due = OLD.due_handle OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred') AND OLD.due_handle BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE kind = 1 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_handle OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred') AND OLD.due_handle BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE kind = 2 AND scope = 0 AND department = ''
  AND (due = OLD.due_reply OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred' OR OLD.state = 'reported') AND OLD.due_reply BETWEEN '0000-00-00' AND '9999-99-99';
  UPDATE pending_counts SET n = n - 1 WHERE kind = 2 AND scope = 1 AND department = OLD.department
  AND (due = OLD.due_reply OR due = '*') AND (OLD.state = 'queued' OR OLD.state = 'transferred' OR OLD.state = 'reported') AND OLD.due_reply BETWEEN '0000-00-00' AND '9999-99-99';
END;
