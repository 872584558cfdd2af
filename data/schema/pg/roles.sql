-- xinfang on PostgreSQL: what the desks may do. Run by the owner of the tables (the role that
-- ran the migrations) after the migrations, at init and after every upgrade; running it again
-- changes nothing. Not a migration: roles are the cluster's, not the database's, and their
-- names are the installation's, while every database at version N has the same migrations.
-- Being run after every upgrade, it also covers the tables later migrations add.
--
-- The desk's role is the setting xinfang.desk_role (default xinfang_desk), given before this
-- file runs: `SET xinfang.desk_role = 'branch7_desk';`, or
-- PGOPTIONS='-c xinfang.desk_role=branch7_desk' psql -v ON_ERROR_STOP=1 -f roles.sql.
-- It is created (NOLOGIN, a group) only when missing, which needs CREATEROLE; otherwise the
-- DBA creates it. The desks connect as it or as login roles in it (GRANT xinfang_desk TO
-- alice), passwords kept where libpq keeps them (~/.pgpass, a service file), never here.
--
-- The desk reads and writes the tables its work needs, and:
-- * the audit table only SELECT and INSERT: no UPDATE, DELETE or TRUNCATE (the triggers of 001
--   and 012 refuse those and any record off the chain to the owner too); the same for the
--   branches' records pushed to the head office (pushed_audit);
-- * DELETE only where the program removes rows that are not records: drafts, the calendar's
--   days and the rule sets it replaces, and the text index it rewrites;
-- * no TRUNCATE, REFERENCES or TRIGGER anywhere, nothing created in the schema, the version
--   only read. The privileges it had before are taken back first, so nothing given by hand
--   outlives this file.
DO $roles$
DECLARE
  desk text := coalesce(nullif(current_setting('xinfang.desk_role', true), ''), 'xinfang_desk');
  s text := current_schema();
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = desk) THEN
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', desk);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION '柜台使用的数据库角色 % 不存在，当前账户 % 也无权创建', desk, current_user
        USING HINT = format('请数据库管理员先执行 CREATE ROLE %I NOLOGIN; 再重新运行', desk);
    END;
  END IF;
  IF desk = current_user OR (SELECT rolsuper FROM pg_roles WHERE rolname = desk)
     OR pg_has_role(desk, current_user, 'MEMBER') THEN
    RAISE EXCEPTION '柜台使用的数据库角色 % 是表的所有者、超级用户或其成员，审计表的权限对它无效', desk
      USING HINT = '请另设一个普通角色（xinfang.desk_role），表由运行迁移的所有者角色持有';
  END IF;

  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, desk);
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', s, desk);
  EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', s, desk);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA %I TO %I', s, desk);
  EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', s, desk);
  EXECUTE format('REVOKE INSERT, UPDATE ON %I.schema_version FROM %I', s, desk);
  EXECUTE format('REVOKE UPDATE ON %I.audit FROM %I', s, desk);
  IF to_regclass(format('%I.pushed_audit', s)) IS NOT NULL THEN -- a branch's records, kept as they came (version 19)
    EXECUTE format('REVOKE UPDATE ON %I.pushed_audit FROM %I', s, desk);
  END IF;
  EXECUTE format('GRANT DELETE ON %I.drafts, %I.calendar_days, %I.limit_rules, %I.rulesets, '
                 '%I.search, %I.search_rows, %I.search_tokens, %I.search_dirty TO %I', s, s, s, s, s, s, s, s, desk);
END $roles$;
