-- xinfang schema on PostgreSQL, version 22 (data/schema/022_writers_overlap.sql: nothing on
-- SQLite): writers no longer take one advisory lock of the whole database at BEGIN; each locks
-- what it needs (src/core/store_db_pg.c, pg_begin_write). This gives the lock per branch.
--
-- A branch's numbers (number_seq) and its status bar's counts (pending_counts) are written by
-- every registration and move of the branch. The counts' trigger locks their rows in the order
-- of its statements, and a move counts a case out of one date's rows and into another's: two
-- writers of one branch could each hold a row the other waits for. So every change of a
-- branch's counts, and every number drawn in it (store_next_seq, before the year's row), first
-- takes the branch's advisory lock, held to the commit: one writer of a branch's counts at a
-- time, never waiting in a circle; writers of other branches go on beside it. The key is the
-- pair (30822 "xf", branch), apart from the single-key locks (the audit chain's head).

-- Takes the branch's writer lock for the rest of the transaction (again: nothing more).
CREATE FUNCTION xinfang_branch_lock(b bigint) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(30822, CAST(b AS integer));
$$;

-- A case's row counted in (delta 1) or out (delta -1) of the three limits, under its branch's
-- lock.
CREATE OR REPLACE FUNCTION pending_counts_case(c cases, delta bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM xinfang_branch_lock(c.branch);
  PERFORM pending_counts_add(c.branch, 0, c.state = 'queued', c.department, c.due_transfer, delta);
  PERFORM pending_counts_add(c.branch, 1, c.state = 'queued' OR c.state = 'transferred', c.department, c.due_handle, delta);
  PERFORM pending_counts_add(c.branch, 2, c.state = 'queued' OR c.state = 'transferred' OR c.state = 'reported',
                             c.department, c.due_reply, delta);
END $$;

UPDATE schema_version SET version = 22;
