-- xinfang schema on PostgreSQL, version 23 (data/schema/023_branch_moves_from.sql): a case's
-- earlier numbers (branch_moves.from_number) are looked up by index.
CREATE INDEX branch_moves_from ON branch_moves(from_number);

UPDATE schema_version SET version = 23;
