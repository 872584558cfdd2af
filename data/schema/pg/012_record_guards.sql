-- xinfang schema on PostgreSQL, version 12 (data/schema/012_record_guards.sql): the audit trail
-- takes a record only as the next link of its chain, and the login counters are kept, never
-- removed or renamed.
-- A record numbered other than after the newest is one no chain reaches. A trigger's WHEN
-- cannot hold a subquery here, so the test is in the function. An insert without a number gets
-- the identity's next value, which passes only when it is the number after the newest (SQLite
-- refuses it outright; either way no record lands off the chain). Two desks appending at once
-- both read the same newest number: the primary key keeps one, the other fails and is repeated.
CREATE FUNCTION audit_next_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM (SELECT coalesce(max(id), 0) + 1 FROM audit) THEN
    RAISE EXCEPTION USING MESSAGE = 'audit records are only appended to the chain, numbered after the newest',
      ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_next_only BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_next_only();
-- A name's counter of wrong passwords (a counter, not a record: failures and locks are in the
-- audit trail). Renaming one would hand its count to another name.
CREATE TRIGGER logins_no_delete BEFORE DELETE ON logins FOR EACH ROW EXECUTE FUNCTION refuse('records are never deleted');
CREATE TRIGGER logins_no_truncate BEFORE TRUNCATE ON logins FOR EACH STATEMENT EXECUTE FUNCTION refuse('records are never deleted');
CREATE TRIGGER logins_name_fixed BEFORE UPDATE OF id, name ON logins FOR EACH ROW
WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.name IS DISTINCT FROM OLD.name)
EXECUTE FUNCTION refuse('a login counter keeps its name');

UPDATE schema_version SET version = 12;
