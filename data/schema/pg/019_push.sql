-- xinfang schema on PostgreSQL, version 19 (data/schema/019_push.sql): the head office's side
-- of a branch's push: the branch's audit records kept verbatim, and the map of its rows' ids.
CREATE TABLE pushed_audit (
  branch     bigint NOT NULL REFERENCES branches(id),
  id         bigint NOT NULL,
  at         text NOT NULL,
  wall       text NOT NULL DEFAULT '',
  operator   text NOT NULL,
  action     text NOT NULL,
  case_id    bigint,
  before     text NOT NULL DEFAULT '{}',
  after      text NOT NULL DEFAULT '{}',
  snapshot   text NOT NULL DEFAULT '{}',
  hash       text NOT NULL DEFAULT '',
  src_branch bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (branch, id)
);
CREATE TRIGGER pushed_audit_no_update BEFORE UPDATE ON pushed_audit FOR EACH ROW EXECUTE FUNCTION refuse('audit records are never changed');
CREATE TRIGGER pushed_audit_no_delete BEFORE DELETE ON pushed_audit FOR EACH ROW EXECUTE FUNCTION refuse('records are never deleted');
CREATE TRIGGER pushed_audit_no_truncate BEFORE TRUNCATE ON pushed_audit FOR EACH STATEMENT EXECUTE FUNCTION refuse('records are never deleted');

CREATE TABLE pushed_rows (
  branch bigint NOT NULL REFERENCES branches(id),
  tbl    text NOT NULL,
  src_id bigint NOT NULL,
  dst_id bigint NOT NULL,
  PRIMARY KEY (branch, tbl, src_id)
);
CREATE TRIGGER pushed_rows_no_delete BEFORE DELETE ON pushed_rows FOR EACH ROW EXECUTE FUNCTION refuse('records are never deleted');
CREATE TRIGGER pushed_rows_no_truncate BEFORE TRUNCATE ON pushed_rows FOR EACH STATEMENT EXECUTE FUNCTION refuse('records are never deleted');

UPDATE schema_version SET version = 19;
