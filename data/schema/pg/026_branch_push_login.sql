-- xinfang schema on PostgreSQL, version 26 (data/schema/026_branch_push_login.sql): the login
-- a branch's push must come as (compared with session_user; empty: any).
ALTER TABLE branches ADD COLUMN push_login text NOT NULL DEFAULT '';

UPDATE schema_version SET version = 26;
