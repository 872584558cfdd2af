-- xinfang schema, version 15 on PostgreSQL: SQLite's 015 makes every write cheaper without
-- changing what is kept. Of its two parts only the partial index's condition applies here,
-- written as SQLite's now reads (comparisons instead of an IN list) so both backends hold the
-- same predicate:
-- 1. The CHECKs are comparisons on PostgreSQL since 001 (pg/001's head): nothing to do.
-- 2. The text index keeps no copy of the texts on SQLite (a contentless FTS5 table);
--    PostgreSQL's `search` is the token table's plain companion (pg/008) and already reads
--    the texts through search_source: nothing to do.
DROP INDEX cases_due_reply;
CREATE INDEX cases_due_reply ON cases(due_reply) WHERE state = 'queued' OR state = 'transferred' OR state = 'reported';

UPDATE schema_version SET version = 15;
