-- xinfang schema, version 4: login attempts counted per name typed (an account or not, so an
-- unknown name answers exactly as a wrong password does).
-- A row here is a counter, not a record of the case: failures, locks and unlocks are in the
-- audit trail.
CREATE TABLE logins (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  failures     INTEGER NOT NULL DEFAULT 0,  -- wrong passwords in a row (reserved before checking)
  wait_until   INTEGER NOT NULL DEFAULT 0,  -- locked until this time (seconds since the epoch)
  last_failure TEXT NOT NULL DEFAULT '',
  last_login   TEXT NOT NULL DEFAULT ''
);
