-- xinfang schema on PostgreSQL, version 13 (data/schema/013_login_checks.sql): password checks
-- in flight, per name typed. `checking` holds how many checks of the name are running;
-- `checking_until` frees the place of a check not settled by then (a process killed while
-- checking).
ALTER TABLE logins ADD COLUMN checking bigint NOT NULL DEFAULT 0;
ALTER TABLE logins ADD COLUMN checking_until bigint NOT NULL DEFAULT 0;

UPDATE schema_version SET version = 13;
