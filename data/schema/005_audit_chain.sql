-- xinfang schema, version 5: a tamper-evident audit trail. Each record carries the real
-- wall-clock time beside the business date, a snapshot of every row the change wrote
-- (canonical JSON keyed "table:id", or "table" for the small reference tables), and a
-- SHA-256 hash chained over the previous record's hash and its own content. `xinfang verify`
-- replays the snapshots against the tables and checks the chain. Records written before this
-- version are sealed by the upgrade (see store_chain_seal).
ALTER TABLE audit ADD COLUMN wall TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN snapshot TEXT NOT NULL DEFAULT '{}';
ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
