-- xinfang schema, version 1: the case, its people and records, reference data, the calendar,
-- operators and the audit trail. Nothing is ever deleted: every table refuses DELETE.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE departments (
  id     INTEGER PRIMARY KEY,
  name   TEXT NOT NULL UNIQUE,
  note   TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE channels (
  name      TEXT PRIMARY KEY,
  important INTEGER NOT NULL DEFAULT 0,  -- items from here are 重要 (higher authority, media)
  ord       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE categories (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,                    -- 投诉 建议 咨询 表扬
  grp  TEXT NOT NULL,                    -- general complex crime anonymous other
  department TEXT NOT NULL DEFAULT '',   -- the lead department a transfer suggests
  ord  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE rulesets (
  name  TEXT PRIMARY KEY,
  label TEXT NOT NULL
);

CREATE TABLE limit_rules (
  ruleset  TEXT NOT NULL REFERENCES rulesets(name),
  kind     TEXT NOT NULL CHECK (kind IN ('transfer', 'handle', 'reply')),
  category TEXT NOT NULL DEFAULT '',
  unit     TEXT NOT NULL CHECK (unit IN ('day', 'workday', 'month')),
  length   INTEGER NOT NULL,
  PRIMARY KEY (ruleset, kind, category)
);

CREATE TABLE calendar_years (
  year      INTEGER PRIMARY KEY,
  source    TEXT NOT NULL,
  loaded_at TEXT NOT NULL
);

CREATE TABLE calendar_days (
  day  TEXT PRIMARY KEY,                 -- YYYY-MM-DD
  work INTEGER NOT NULL,                 -- 1 makeup working day (班), 0 holiday (休)
  name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE operators (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  full_name  TEXT NOT NULL DEFAULT '',
  role       TEXT NOT NULL CHECK (role IN ('operator', 'head', 'handler', 'admin')),
  department TEXT NOT NULL DEFAULT '',
  pwhash     TEXT NOT NULL,
  active     INTEGER NOT NULL DEFAULT 1,
  failures   INTEGER NOT NULL DEFAULT 0,
  wait_until TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);

CREATE TABLE number_seq (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
);

CREATE TABLE cases (
  id              INTEGER PRIMARY KEY,
  year            INTEGER NOT NULL,
  seq             INTEGER NOT NULL,
  number          TEXT NOT NULL UNIQUE,
  state           TEXT NOT NULL CHECK (state IN ('queued', 'transferred', 'reported', 'replied', 'closed')),
  closure         TEXT NOT NULL DEFAULT '',
  received        TEXT NOT NULL,
  received_time   TEXT NOT NULL DEFAULT '',
  channel         TEXT NOT NULL REFERENCES channels(name),
  anonymous       INTEGER NOT NULL DEFAULT 0,
  people          INTEGER NOT NULL DEFAULT 1,
  subject         TEXT NOT NULL DEFAULT '',
  category        TEXT NOT NULL REFERENCES categories(name),
  amount          TEXT NOT NULL DEFAULT '',
  summary         TEXT NOT NULL DEFAULT '',
  materials       INTEGER NOT NULL DEFAULT 0,
  confidential    INTEGER NOT NULL DEFAULT 0,
  first_asked     TEXT NOT NULL DEFAULT '',
  receiver        TEXT NOT NULL DEFAULT '',
  importance      TEXT NOT NULL DEFAULT '一般' CHECK (importance IN ('一般', '重要')),
  spot_answer     TEXT NOT NULL DEFAULT '',
  department      TEXT NOT NULL DEFAULT '',
  ruleset         TEXT NOT NULL,
  due_transfer    TEXT NOT NULL,
  due_handle      TEXT NOT NULL,
  due_reply       TEXT NOT NULL,
  orig_due_handle TEXT NOT NULL,
  orig_due_reply  TEXT NOT NULL,
  due_estimated   INTEGER NOT NULL DEFAULT 0,
  transferred_on  TEXT NOT NULL DEFAULT '',
  reported_on     TEXT NOT NULL DEFAULT '',
  replied_on      TEXT NOT NULL DEFAULT '',
  closed_on       TEXT NOT NULL DEFAULT '',
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1,
  UNIQUE (year, seq)
);
CREATE INDEX cases_state ON cases(state, received);
CREATE INDEX cases_received ON cases(received);
CREATE INDEX cases_department ON cases(department, state);
-- The status bar and the queue: each limit counts only while it is still pending.
CREATE INDEX cases_due_transfer ON cases(due_transfer) WHERE state = 'queued';
CREATE INDEX cases_due_handle ON cases(due_handle) WHERE state IN ('queued', 'transferred');
CREATE INDEX cases_due_reply ON cases(due_reply) WHERE state IN ('queued', 'transferred', 'reported');

CREATE TABLE petitioners (
  id        INTEGER PRIMARY KEY,
  case_id   INTEGER NOT NULL REFERENCES cases(id),
  ord       INTEGER NOT NULL DEFAULT 0,
  name      TEXT NOT NULL DEFAULT '',
  gender    TEXT NOT NULL DEFAULT '',
  age       TEXT NOT NULL DEFAULT '',
  id_number TEXT NOT NULL DEFAULT '',
  phone     TEXT NOT NULL DEFAULT '',
  address   TEXT NOT NULL DEFAULT '',
  work_unit TEXT NOT NULL DEFAULT '',
  UNIQUE (case_id, ord)
);
CREATE INDEX petitioners_id_number ON petitioners(id_number) WHERE id_number <> '';
CREATE INDEX petitioners_phone ON petitioners(phone) WHERE phone <> '';
CREATE INDEX petitioners_name ON petitioners(name) WHERE name <> '';

CREATE TABLE instructions (
  id       INTEGER PRIMARY KEY,
  case_id  INTEGER NOT NULL REFERENCES cases(id),
  leader   TEXT NOT NULL,
  text     TEXT NOT NULL,
  given_on TEXT NOT NULL,
  at       TEXT NOT NULL,
  actor TEXT NOT NULL
);

CREATE TABLE transfers (
  id             INTEGER PRIMARY KEY,
  case_id        INTEGER NOT NULL REFERENCES cases(id),
  department     TEXT NOT NULL,
  co_departments TEXT NOT NULL DEFAULT '',
  handler        TEXT NOT NULL DEFAULT '',
  summary        TEXT NOT NULL DEFAULT '',
  instruction    TEXT NOT NULL DEFAULT '',
  leader         TEXT NOT NULL DEFAULT '',
  opinion        TEXT NOT NULL DEFAULT '',
  deadline       TEXT NOT NULL,
  transfer_date  TEXT NOT NULL,
  masked         INTEGER NOT NULL DEFAULT 0,
  at             TEXT NOT NULL,
  actor TEXT NOT NULL
);
CREATE INDEX transfers_case ON transfers(case_id);

CREATE TABLE returns (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  department  TEXT NOT NULL,
  reason      TEXT NOT NULL,
  returned_on TEXT NOT NULL,
  at          TEXT NOT NULL,
  actor TEXT NOT NULL
);

CREATE TABLE outcomes (
  id             INTEGER PRIMARY KEY,
  case_id        INTEGER NOT NULL REFERENCES cases(id),
  findings       TEXT NOT NULL,
  accountability TEXT NOT NULL DEFAULT '',
  rectification  TEXT NOT NULL DEFAULT '',
  satisfaction   TEXT NOT NULL DEFAULT '未表态' CHECK (satisfaction IN ('满意', '基本满意', '不满意', '未表态')),
  handled_on     TEXT NOT NULL,
  handler        TEXT NOT NULL DEFAULT '',
  dept_head      TEXT NOT NULL DEFAULT '',
  contact_phone  TEXT NOT NULL DEFAULT '',
  at             TEXT NOT NULL,
  actor TEXT NOT NULL
);

CREATE TABLE replies (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES cases(id),
  method     TEXT NOT NULL CHECK (method IN ('口头', '书面')),
  replied_on TEXT NOT NULL,
  content    TEXT NOT NULL DEFAULT '',
  at         TEXT NOT NULL,
  actor TEXT NOT NULL
);

CREATE TABLE extensions (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases(id),
  limit_kind   TEXT NOT NULL CHECK (limit_kind IN ('handle', 'reply')),
  reason       TEXT NOT NULL,
  old_due      TEXT NOT NULL,
  new_due      TEXT NOT NULL,
  decision     TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'denied')),
  decided_by   TEXT NOT NULL DEFAULT '',
  decided_at   TEXT NOT NULL DEFAULT '',
  at           TEXT NOT NULL,
  actor TEXT NOT NULL
);
CREATE INDEX extensions_pending ON extensions(case_id) WHERE decision = 'pending';

CREATE TABLE urgings (
  id       INTEGER PRIMARY KEY,
  case_id  INTEGER NOT NULL REFERENCES cases(id),
  urged_on TEXT NOT NULL,
  target   TEXT NOT NULL,
  method   TEXT NOT NULL,
  note     TEXT NOT NULL DEFAULT '',
  at       TEXT NOT NULL,
  actor TEXT NOT NULL
);

CREATE TABLE materials (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  received_on TEXT NOT NULL,
  copies      INTEGER NOT NULL DEFAULT 1,
  description TEXT NOT NULL,
  at          TEXT NOT NULL,
  actor TEXT NOT NULL
);

CREATE TABLE links (
  id        INTEGER PRIMARY KEY,
  case_id   INTEGER NOT NULL REFERENCES cases(id),
  linked_id INTEGER NOT NULL REFERENCES cases(id),
  kind      TEXT NOT NULL DEFAULT 'repeat',
  note      TEXT NOT NULL DEFAULT '',
  at        TEXT NOT NULL,
  actor TEXT NOT NULL,
  UNIQUE (case_id, linked_id)
);

CREATE TABLE closures (
  id        INTEGER PRIMARY KEY,
  case_id   INTEGER NOT NULL REFERENCES cases(id),
  kind      TEXT NOT NULL,               -- 办结 不予受理 当场答复 撤诉
  reason    TEXT NOT NULL DEFAULT '',
  advice    TEXT NOT NULL DEFAULT '',
  voluntary TEXT NOT NULL DEFAULT '',
  at        TEXT NOT NULL,
  actor TEXT NOT NULL
);

CREATE TABLE printed_slips (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  form        TEXT NOT NULL,
  destination TEXT NOT NULL,
  encoding    TEXT NOT NULL,
  reprint     INTEGER NOT NULL DEFAULT 0,
  at          TEXT NOT NULL,
  actor TEXT NOT NULL
);

CREATE TABLE audit (
  id       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,
  operator TEXT NOT NULL,
  action   TEXT NOT NULL,
  case_id  INTEGER REFERENCES cases(id),
  before   TEXT NOT NULL DEFAULT '{}',
  after    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_case ON audit(case_id, id);

-- Nothing is deleted; the audit trail is never rewritten.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit records are never changed'); END;
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER petitioners_no_delete BEFORE DELETE ON petitioners BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER instructions_no_delete BEFORE DELETE ON instructions BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER transfers_no_delete BEFORE DELETE ON transfers BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER returns_no_delete BEFORE DELETE ON returns BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER outcomes_no_delete BEFORE DELETE ON outcomes BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER replies_no_delete BEFORE DELETE ON replies BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER extensions_no_delete BEFORE DELETE ON extensions BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER urgings_no_delete BEFORE DELETE ON urgings BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER materials_no_delete BEFORE DELETE ON materials BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER links_no_delete BEFORE DELETE ON links BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER closures_no_delete BEFORE DELETE ON closures BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER printed_no_delete BEFORE DELETE ON printed_slips BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER operators_no_delete BEFORE DELETE ON operators BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
