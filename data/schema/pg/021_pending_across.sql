-- xinfang schema on PostgreSQL, version 21 (data/schema/021_pending_across.sql): the head
-- office's whole reach counts by limit, scope, department and date across every branch, not
-- by branch first. The count rides in the index (INCLUDE, not a key) so a sum can be read from
-- the index alone; the price is that an update of a count is no longer a heap-only (HOT)
-- update: each move writes an entry in this index as well as in the key's.
CREATE INDEX pending_counts_across ON pending_counts(kind, scope, department, due) INCLUDE (n);

UPDATE schema_version SET version = 21;
