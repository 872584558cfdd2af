-- xinfang schema, version 13: password checks in flight, per name typed.
-- A try no longer counts as a failure before its password is checked: only a wrong password
-- (or a try on a disabled account) raises `failures`. `checking` holds how many checks of the
-- name are running; a try starts its check only while running checks and counted failures
-- together stay under the limit (else it waits its turn), so parallel guesses cannot outrun
-- the lock and parallel right passwords never lock. A check not settled by `checking_until`
-- (a process killed while checking) no longer holds its place.
ALTER TABLE logins ADD COLUMN checking INTEGER NOT NULL DEFAULT 0;
ALTER TABLE logins ADD COLUMN checking_until INTEGER NOT NULL DEFAULT 0;
