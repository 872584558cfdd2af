-- xinfang schema, version 19: a branch on its own file pushes to the head office
-- (`xinfang push --to URI`, src/core/push.c). These tables are the head office's side; a
-- branch's file has them empty.
--
-- pushed_audit keeps the branch's audit records verbatim (their ids, their hashes, the
-- branch's own case ids in them), so the branch's chain can be walked again at the head office,
-- and the next push finds how far the head office holds: its newest record of that branch.
-- branch is the head office's id of the pushing branch; src_branch the record's own branch
-- column in the file (1, its own). Like the audit trail, records are never changed nor deleted.
CREATE TABLE pushed_audit (
  branch     INTEGER NOT NULL REFERENCES branches(id),
  id         INTEGER NOT NULL,
  at         TEXT NOT NULL,
  wall       TEXT NOT NULL DEFAULT '',
  operator   TEXT NOT NULL,
  action     TEXT NOT NULL,
  case_id    INTEGER,
  before     TEXT NOT NULL DEFAULT '{}',
  after      TEXT NOT NULL DEFAULT '{}',
  snapshot   TEXT NOT NULL DEFAULT '{}',
  hash       TEXT NOT NULL DEFAULT '',
  src_branch INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (branch, id)
);
CREATE TRIGGER pushed_audit_no_update BEFORE UPDATE ON pushed_audit BEGIN SELECT RAISE(ABORT, 'audit records are never changed'); END;
CREATE TRIGGER pushed_audit_no_delete BEFORE DELETE ON pushed_audit BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;

-- Ids differ between stores: a pushed row gets the head office's own id, and this map says
-- which (tbl: the table; src_id: the id in the branch's file; dst_id: the head office's).
-- A second push of a row updates the row it maps to.
CREATE TABLE pushed_rows (
  branch INTEGER NOT NULL REFERENCES branches(id),
  tbl    TEXT NOT NULL,
  src_id INTEGER NOT NULL,
  dst_id INTEGER NOT NULL,
  PRIMARY KEY (branch, tbl, src_id)
);
CREATE TRIGGER pushed_rows_no_delete BEFORE DELETE ON pushed_rows BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
