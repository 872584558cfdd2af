-- xinfang schema on PostgreSQL, version 22 (data/schema/022_writers_overlap.sql: nothing on
-- SQLite): writers no longer take one advisory lock of the whole database at BEGIN; each locks
-- what it needs (src/core/store_db_pg.c, pg_begin_write). This gives the lock per branch, and
-- the audit chain head's lock with the head read after it in one round trip.
--
-- A branch's numbers (number_seq) and its status bar's counts (pending_counts) are written by
-- every registration and move of the branch. The counts' trigger locks their rows in the order
-- of its statements, and a move counts a case out of one date's rows and into another's: two
-- writers of one branch could each hold a row the other waits for. So every change of a
-- branch's counts, every number drawn in it (store_next_seq, before the year's row) and every
-- update of one of its cases by the program (store_update, before the case's row) first takes
-- the branch's advisory lock, held to the commit: one writer of a branch's counts at a
-- time, never waiting in a circle; writers of other branches go on beside it. The key is the
-- pair (30822 "xf", branch), apart from the single-key locks (the audit chain's head).

-- Takes the branch's writer lock for the rest of the transaction (again: nothing more); true,
-- so that an UPDATE of a case can take it in its WHERE, before the row's lock (store_update).
CREATE FUNCTION xinfang_branch_lock(b bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(30822, CAST(b AS integer));
  RETURN true;
END $$;

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

-- The audit chain's head, read after taking its lock (held to the commit): a writer appends its
-- records, held till its commit, right after (src/core/store_chain.c, write_later). The query
-- runs after the lock with a snapshot of its own (a volatile function's statements take one
-- each under READ COMMITTED), so it sees every append committed before. No row: NULLs.
CREATE FUNCTION xinfang_chain_head(OUT id bigint, OUT hash text) LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(8675621732175839234); -- 0x7866000000000002, "xf" 2
  SELECT a.id, a.hash INTO id, hash FROM audit a ORDER BY a.id DESC LIMIT 1;
END $$;

UPDATE schema_version SET version = 22;
