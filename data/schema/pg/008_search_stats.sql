-- xinfang schema on PostgreSQL, version 8 (data/schema/008_search_stats.sql): the text index
-- for finding cases, and the indexes statistics read.
--
-- SQLite keeps the index in an FTS5 table `search` cut by the program's own tokenizer
-- (src/core/search.c: Chinese as characters and character pairs, so one- and two-character
-- words are found; digit runs with their last 4 to 24 digits; a filter's line as one token).
-- PostgreSQL has no FTS5, and a tsvector would need that tokenizer inside the server and stops
-- at 16,383 positions; so the same tokenizer runs in the program and its tokens are rows:
--
--   search         what FTS5's `search` shows: rowid and the indexed columns, as text (the
--                  snippets and the handler's mask read them). rowid is search_source's `row`
--                  (the receipt day in the high bits, the case id in the low 32), so the
--                  newest match comes first by reading an index backwards, as on SQLite.
--   search_rows    as on SQLite: a case's row in search.
--   search_tokens  one row per token of a search row: its column (0 texts, 1 people,
--                  2 numbers; 3 facets from version 11), its position in that column (the
--                  tokens the tokenizer gives as colocated share the position of the one before)
--                  and the token. Deleting a search row drops its tokens (the cascade), so
--                  re-indexing a case is the same delete and insert of its search row as on
--                  SQLite, then the insert of its tokens. No limit on positions.
--
-- A query is what FTS5 answers from the same tokens: a word typed is a phrase of its query
-- tokens t0 … tk, found where ti sits at position p+i of one row and column (one row of
-- search_tokens per token, joined on row, col and pos + i, each found through
-- search_tokens_find); several words, and the filters' tokens in column 3, intersect by row;
-- newest first is `ORDER BY row DESC` read off the same index. What differs from FTS5: no
-- ranking (the desk orders by receipt anyway), and the program writes the tokens itself.
--
-- A row of search with no tokens is one the program has not cut yet (every case has its
-- filters' tokens): the rows this file and 011 copy into search for cases already in the
-- database are such rows, since the tokenizer is C; the program cuts them the first time it
-- keeps the index. A store made by init has no cases then, so nothing waits.

-- SQLite's CAST(julianday(d) AS INTEGER) for a date YYYY-MM-DD (month 1-12, day 1-31, as
-- SQLite reads it; NULL for anything else): the same integer arithmetic as SQLite's computeJD.
CREATE FUNCTION day_number(d text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN m BETWEEN 1 AND 12 AND dd BETWEEN 1 AND 31 THEN
    36525 * (y - (m <= 2)::int + 4716) / 100 + 306001 * (m + 12 * (m <= 2)::int + 1) / 10000 + dd
    + 2 - (y - (m <= 2)::int) / 100 + (y - (m <= 2)::int) / 400 - 1525 END
  FROM (SELECT p[1]::bigint AS y, p[2]::bigint AS m, p[3]::bigint AS dd
        FROM (SELECT regexp_match(d, '^([0-9]{4})-([0-9]{2})-([0-9]{2})$') AS p) r) s
$$;

CREATE TABLE search (
  rowid   bigint PRIMARY KEY,
  texts   text,
  people  text,
  numbers text
);

CREATE TABLE search_tokens (
  row     bigint NOT NULL REFERENCES search(rowid) ON DELETE CASCADE,
  case_id bigint NOT NULL,           -- row & 4294967295, to join cases without arithmetic
  col     integer NOT NULL,
  pos     integer NOT NULL,
  token   text NOT NULL
);
CREATE INDEX search_tokens_find ON search_tokens(token, row, col, pos);
CREATE INDEX search_tokens_row ON search_tokens(row);

CREATE TABLE search_rows (
  case_id bigint PRIMARY KEY REFERENCES cases(id),
  row     bigint NOT NULL            -- rowid in search
);

-- The texts of a case's records in the order SQLite's group_concat reads them (by id).
CREATE VIEW search_source AS
SELECT c.id AS case_id,
       (coalesce(day_number(c.received), 0) << 32) | c.id AS row,
       c.subject || chr(10) || c.accused || chr(10) || c.summary || chr(10) || c.spot_answer
       || coalesce((SELECT chr(10) || string_agg(t.summary || chr(10) || t.instruction || chr(10) || t.opinion, chr(10) ORDER BY t.id)
                    FROM transfers t WHERE t.case_id = c.id), '')
       || coalesce((SELECT chr(10) || string_agg(i.text, chr(10) ORDER BY i.id) FROM instructions i WHERE i.case_id = c.id), '')
       || coalesce((SELECT chr(10) || string_agg(o.findings || chr(10) || o.accountability || chr(10) || o.rectification, chr(10) ORDER BY o.id)
                    FROM outcomes o WHERE o.case_id = c.id), '')
       || coalesce((SELECT chr(10) || string_agg(r.content, chr(10) ORDER BY r.id) FROM replies r WHERE r.case_id = c.id), '')
       || coalesce((SELECT chr(10) || string_agg(u.target || chr(10) || u.note, chr(10) ORDER BY u.id) FROM urgings u WHERE u.case_id = c.id), '')
       || coalesce((SELECT chr(10) || string_agg(k.reason || chr(10) || k.advice, chr(10) ORDER BY k.id) FROM closures k WHERE k.case_id = c.id), '')
       AS texts,
       coalesce((SELECT string_agg(p.name || chr(10) || p.address || chr(10) || p.work_unit, chr(10) ORDER BY p.id)
                 FROM petitioners p WHERE p.case_id = c.id), '') AS people,
       coalesce((SELECT string_agg(p.id_number || ' ' || p.phone, chr(10) ORDER BY p.id)
                 FROM petitioners p WHERE p.case_id = c.id), '') AS numbers
FROM cases c;

-- The index rows for the cases already in the database (their tokens: see above).
INSERT INTO search_rows (case_id, row) SELECT case_id, row FROM search_source;
INSERT INTO search (rowid, texts, people, numbers) SELECT row, texts, people, numbers FROM search_source;

-- Statistics read a range of receipt dates: everything the counts and rates need is in this
-- index, so a year is one sequential read. Satisfaction comes from the outcome; repeat
-- petitions are found from either side of a link.
CREATE INDEX cases_stats ON cases(received, channel, category, department, importance, state, closure,
                                  transferred_on, due_transfer, reported_on, due_handle, replied_on, due_reply);
CREATE INDEX outcomes_satisfaction ON outcomes(case_id, satisfaction);
CREATE INDEX IF NOT EXISTS links_linked ON links(linked_id);

UPDATE schema_version SET version = 8;
