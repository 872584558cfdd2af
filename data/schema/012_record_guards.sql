-- xinfang schema, version 12: the audit trail takes a record only as the next link of its
-- chain, and the login counters are kept, never removed or renamed.
-- INSERT OR REPLACE deletes the row it replaces without firing a delete trigger, and a record
-- numbered 0 or below is one no chain reaches: an insert must carry the number after the
-- newest record (the program always gives it; an insert without a number is refused too).
CREATE TRIGGER audit_next_only BEFORE INSERT ON audit
WHEN NEW.id IS NOT (SELECT coalesce(max(id), 0) + 1 FROM audit)
BEGIN SELECT RAISE(ABORT, 'audit records are only appended to the chain, numbered after the newest'); END;
-- A name's counter of wrong passwords (a counter, not a record: failures and locks are in the
-- audit trail). Renaming one would hand its count to another name. Clearing a count is an
-- update the program makes on every right password, so a replaced row changes nothing an
-- update could not; verify names any trigger added to or dropped from this table.
CREATE TRIGGER logins_no_delete BEFORE DELETE ON logins BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER logins_name_fixed BEFORE UPDATE OF id, name ON logins
WHEN NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name
BEGIN SELECT RAISE(ABORT, 'a login counter keeps its name'); END;
