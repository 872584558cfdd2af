-- xinfang schema on PostgreSQL, version 2 (data/schema/002_drafts.sql; the decisions are in
-- 001_init.sql): unfinished forms kept per operator, offered again after a quit, a crash or a
-- lost connection. A draft is not a record of the case: it is replaced as the operator types
-- and dropped when the form is saved or abandoned.
CREATE TABLE drafts (
  operator   text NOT NULL,
  form       text NOT NULL,
  fields     text NOT NULL,              -- JSON object of the form's values (text, as on SQLite)
  updated_at text NOT NULL,
  PRIMARY KEY (operator, form)
);

UPDATE schema_version SET version = 2;
