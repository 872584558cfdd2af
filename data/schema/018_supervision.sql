-- xinfang schema, version 18: the head office's moves across branches and its urging (督办).
--
-- branch_moves: a case that changes branch (the hotline hands an item to a branch under it,
-- the head office takes a branch's case over, a branch hands a case up to its parent). A case's
-- number belongs to its branch's sequence, so the case takes the next number of the receiving
-- branch; the number it had is kept here, with both branches, for as long as the record lives.
CREATE TABLE branch_moves (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  kind        TEXT NOT NULL CHECK (kind = 'hand_over' OR kind = 'take_over' OR kind = 'hand_up'),
  from_branch INTEGER NOT NULL,
  from_number TEXT NOT NULL,
  to_branch   INTEGER NOT NULL,
  to_number   TEXT NOT NULL,
  remark      TEXT NOT NULL DEFAULT '',
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL
);
CREATE INDEX branch_moves_case ON branch_moves(case_id);
CREATE TRIGGER branch_moves_no_delete BEFORE DELETE ON branch_moves BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;

-- supervisions: the head office urges (督办) a branch's case to report by a deadline; the
-- branch answers once (answered_at, answer, answered_by filled by an audited update). branch is
-- the branch urged (the case's when it was urged).
CREATE TABLE supervisions (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  branch      INTEGER NOT NULL,
  deadline    TEXT NOT NULL,
  request     TEXT NOT NULL DEFAULT '',
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  answered_at TEXT NOT NULL DEFAULT '',
  answer      TEXT NOT NULL DEFAULT '',
  answered_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervisions_case ON supervisions(case_id);
CREATE INDEX supervisions_open ON supervisions(branch, deadline) WHERE answered_at = '';
CREATE TRIGGER supervisions_no_delete BEFORE DELETE ON supervisions BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
