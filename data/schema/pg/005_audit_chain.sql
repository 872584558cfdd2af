-- xinfang schema on PostgreSQL, version 5 (data/schema/005_audit_chain.sql): a tamper-evident
-- audit trail. Each record carries the real wall-clock time beside the business date, a
-- snapshot of every row the change wrote (canonical JSON keyed "table:id", or "table" for the
-- small reference tables), and a SHA-256 hash chained over the previous record's hash and its
-- own content, all built by the program (byte-identical on both backends).
-- On SQLite the program seals the records written before this version in the same transaction
-- (store_chain_seal: the hashes are computed in C). A PostgreSQL store is made at the newest
-- version by init, so it has no such records; a database brought here with records in its
-- audit table must be sealed by the program the same way before it is used.
ALTER TABLE audit ADD COLUMN wall text NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN snapshot text NOT NULL DEFAULT '{}';
ALTER TABLE audit ADD COLUMN hash text NOT NULL DEFAULT '';

UPDATE schema_version SET version = 5;
