-- xinfang schema on PostgreSQL, version 6 (data/schema/006_accused.sql): the staff a complaint
-- names (被投诉人员: operator accounts or names) in a field of their own, so recusal and masking
-- can find them.
ALTER TABLE cases ADD COLUMN accused text NOT NULL DEFAULT '';

UPDATE schema_version SET version = 6;
