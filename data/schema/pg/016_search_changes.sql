-- xinfang schema on PostgreSQL, version 16 (data/schema/016_search_changes.sql: nothing on
-- SQLite): the server notes which cases a write changed the searchable texts of, so the text
-- index (pg/008, 011) is cut again for them in the same transaction.
--
-- On SQLite, TEMP triggers of the writing connection note the changed cases and the commit
-- re-indexes them (src/core/store_search.c). Here the triggers are the database's own, so a
-- write by any connection is noted, whoever made it: search_dirty holds the cases written
-- since the index was last brought up to date. At every commit the program takes the rows of
-- its own transaction and of any earlier one that left some (a write from psql, a program
-- stopped mid-way), cuts the cases' texts again with its tokenizer and replaces their rows of
-- search and search_tokens (src/core/store_pgsearch.c); opening the store does the same for
-- what is waiting. The desk's role may delete from search_dirty (roles.sql).
--
-- The columns and tables watched are those search_source reads: a case's texts and filters,
-- and the records that add text to it. Records are never deleted, so only inserts and updates.

CREATE TABLE search_dirty (
  case_id bigint PRIMARY KEY
);

-- A case written: its id noted (once).
CREATE FUNCTION search_note_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_dirty (case_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- A record of a case written: its case noted, and the case it left if it moved.
CREATE FUNCTION search_note_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_dirty (case_id) VALUES (NEW.case_id) ON CONFLICT DO NOTHING;
  IF TG_OP = 'UPDATE' AND OLD.case_id IS DISTINCT FROM NEW.case_id THEN
    INSERT INTO search_dirty (case_id) VALUES (OLD.case_id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER search_cases_insert_note AFTER INSERT ON cases
  FOR EACH ROW EXECUTE FUNCTION search_note_case();
CREATE TRIGGER search_cases_update_note
  AFTER UPDATE OF subject, accused, summary, spot_answer, received, state, department, category, channel, importance
  ON cases FOR EACH ROW
  WHEN ((OLD.subject, OLD.accused, OLD.summary, OLD.spot_answer, OLD.received, OLD.state, OLD.department,
         OLD.category, OLD.channel, OLD.importance)
        IS DISTINCT FROM
        (NEW.subject, NEW.accused, NEW.summary, NEW.spot_answer, NEW.received, NEW.state, NEW.department,
         NEW.category, NEW.channel, NEW.importance))
  EXECUTE FUNCTION search_note_case();

DO $notes$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['petitioners', 'transfers', 'instructions', 'outcomes', 'replies', 'urgings', 'closures'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION search_note_record()',
                   'search_' || t || '_note', t);
  END LOOP;
END $notes$;

-- Every case already here: their rows of search have no tokens yet (pg/008, 011: the tokenizer
-- is the program's), so the first store that opens the database cuts them all.
INSERT INTO search_dirty (case_id) SELECT id FROM cases;

UPDATE schema_version SET version = 16;
