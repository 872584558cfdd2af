-- xinfang schema on PostgreSQL, version 14 (data/schema/014_pending_counts.sql): the status
-- bar's counts kept as they change. pending_counts holds, for each limit (0 转办 due_transfer,
-- 1 周限 due_handle, 2 月限 due_reply), the number of cases still pending that limit per due
-- date and in all ('*'), for the whole office (scope 0, department '') and per department
-- (scope 1); triggers keep it in the same transaction as every write to cases, whoever writes.
-- The pending states and the date test are those of the partial indexes cases_due_* and of
-- SQLite's triggers, whose names these keep (one function each here, the same rows changed).
CREATE TABLE pending_counts (
  kind       bigint NOT NULL,
  scope      bigint NOT NULL,
  department text NOT NULL,
  due        text NOT NULL,
  n          bigint NOT NULL,
  PRIMARY KEY (kind, scope, department, due)
);

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
) x GROUP BY kind, scope, department, due;

-- Counts one case in (delta 1) or out (delta -1) of one limit, when it is pending on a date:
-- the office's and the department's count of that date and of all dates ('*'). A count is
-- only created by counting in; counting out lowers what is there, as SQLite's triggers do.
CREATE FUNCTION pending_counts_add(k bigint, pending boolean, dept text, d text, delta bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pending OR NOT (d BETWEEN '0000-00-00' AND '9999-99-99') THEN
    RETURN;
  END IF;
  IF delta > 0 THEN
    INSERT INTO pending_counts AS p (kind, scope, department, due, n)
    VALUES (k, 0, '', d, delta), (k, 0, '', '*', delta), (k, 1, dept, d, delta), (k, 1, dept, '*', delta)
    ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = p.n + delta;
  ELSE
    UPDATE pending_counts p SET n = p.n + delta
    WHERE p.kind = k AND ((p.scope = 0 AND p.department = '') OR (p.scope = 1 AND p.department = dept))
      AND (p.due = d OR p.due = '*');
  END IF;
END $$;

-- A case's row counted in (delta 1) or out (delta -1) of the three limits.
CREATE FUNCTION pending_counts_case(c cases, delta bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pending_counts_add(0, c.state = 'queued', c.department, c.due_transfer, delta);
  PERFORM pending_counts_add(1, c.state = 'queued' OR c.state = 'transferred', c.department, c.due_handle, delta);
  PERFORM pending_counts_add(2, c.state = 'queued' OR c.state = 'transferred' OR c.state = 'reported',
                             c.department, c.due_reply, delta);
END $$;

-- The triggers' functions: a new case counted in, a changed one out as it was and in as it is.
CREATE FUNCTION pending_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pending_counts_case(NEW, 1);
  RETURN NULL;
END $$;
CREATE FUNCTION pending_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pending_counts_case(OLD, -1);
  PERFORM pending_counts_case(NEW, 1);
  RETURN NULL;
END $$;
CREATE FUNCTION pending_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pending_counts_case(OLD, -1);
  RETURN NULL;
END $$;

CREATE TRIGGER pending_counts_insert AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION pending_counts_insert();
CREATE TRIGGER pending_counts_update AFTER UPDATE OF state, department, due_transfer, due_handle, due_reply ON cases
FOR EACH ROW EXECUTE FUNCTION pending_counts_update();
CREATE TRIGGER pending_counts_delete AFTER DELETE ON cases FOR EACH ROW EXECUTE FUNCTION pending_counts_delete();

UPDATE schema_version SET version = 14;
