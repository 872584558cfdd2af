-- xinfang schema, version 9: the JR/T 0169-2018 classification (three optional codes on a case,
-- the lists they are chosen from) and the ledger imports (one row per imported file, so the
-- same file is never imported twice).
CREATE TABLE jrt_codes (
  axis TEXT NOT NULL CHECK (axis IN ('channel', 'type', 'cause')),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  ord  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (axis, code),
  UNIQUE (axis, name)
);

ALTER TABLE cases ADD COLUMN jrt_channel TEXT NOT NULL DEFAULT '';  -- 业务办理渠道 (A)
ALTER TABLE cases ADD COLUMN jrt_type    TEXT NOT NULL DEFAULT '';  -- 业务类型 (B)
ALTER TABLE cases ADD COLUMN jrt_cause   TEXT NOT NULL DEFAULT '';  -- 投诉原因 (C)

CREATE TABLE imports (
  id       INTEGER PRIMARY KEY,
  sha256   TEXT NOT NULL UNIQUE,             -- of the file's bytes: a second import is refused
  file     TEXT NOT NULL,
  rows     INTEGER NOT NULL,
  first_number TEXT NOT NULL DEFAULT '',
  last_number  TEXT NOT NULL DEFAULT '',
  at       TEXT NOT NULL,
  actor    TEXT NOT NULL
);
CREATE TRIGGER imports_no_delete BEFORE DELETE ON imports BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
