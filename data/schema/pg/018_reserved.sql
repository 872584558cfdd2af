-- xinfang schema on PostgreSQL, version 18 (data/schema/018_reserved.sql): reserved, nothing
-- changes.
UPDATE schema_version SET version = 18;
