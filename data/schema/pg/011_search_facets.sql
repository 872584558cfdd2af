-- xinfang schema on PostgreSQL, version 11 (data/schema/011_search_facets.sql): the text index
-- also holds each case's state, department, category, channel and importance as one token each
-- (a private-use mark U+E000, a letter, a colon and the value) in a fourth column, `facets`
-- (search_tokens' column 3), so a search with filters is answered by the index alone. The mark
-- is taken out of the other columns, so no text can start a filter token.
-- SQLite drops the FTS5 table and makes it again with four columns; here the table gains the
-- column (the same columns in the same order) and its rows are written again from the view.
-- Their tokens are the program's to cut, as in 008.
DROP VIEW IF EXISTS search_source;
DELETE FROM search;
ALTER TABLE search ADD COLUMN facets text;

CREATE VIEW search_source AS
SELECT c.id AS case_id,
       (coalesce(day_number(c.received), 0) << 32) | c.id AS row,
       replace(c.subject || chr(10) || c.accused || chr(10) || c.summary || chr(10) || c.spot_answer
       || coalesce((SELECT chr(10) || string_agg(t.summary || chr(10) || t.instruction || chr(10) || t.opinion, chr(10) ORDER BY t.id)
                    FROM transfers t WHERE t.case_id = c.id), '')
       || coalesce((SELECT chr(10) || string_agg(i.text, chr(10) ORDER BY i.id) FROM instructions i WHERE i.case_id = c.id), '')
       || coalesce((SELECT chr(10) || string_agg(o.findings || chr(10) || o.accountability || chr(10) || o.rectification, chr(10) ORDER BY o.id)
                    FROM outcomes o WHERE o.case_id = c.id), '')
       || coalesce((SELECT chr(10) || string_agg(r.content, chr(10) ORDER BY r.id) FROM replies r WHERE r.case_id = c.id), '')
       || coalesce((SELECT chr(10) || string_agg(u.target || chr(10) || u.note, chr(10) ORDER BY u.id) FROM urgings u WHERE u.case_id = c.id), '')
       || coalesce((SELECT chr(10) || string_agg(k.reason || chr(10) || k.advice, chr(10) ORDER BY k.id) FROM closures k WHERE k.case_id = c.id), ''),
       chr(57344), '') AS texts,
       replace(coalesce((SELECT string_agg(p.name || chr(10) || p.address || chr(10) || p.work_unit, chr(10) ORDER BY p.id)
                 FROM petitioners p WHERE p.case_id = c.id), ''), chr(57344), '') AS people,
       replace(coalesce((SELECT string_agg(p.id_number || ' ' || p.phone, chr(10) ORDER BY p.id)
                 FROM petitioners p WHERE p.case_id = c.id), ''), chr(57344), '') AS numbers,
       chr(57344) || 's:' || c.state || chr(10) || chr(57344) || 'd:' || c.department || chr(10)
       || chr(57344) || 'c:' || c.category || chr(10) || chr(57344) || 'h:' || c.channel || chr(10)
       || chr(57344) || 'i:' || c.importance AS facets
FROM cases c;

-- The index rows again, in row order.
INSERT INTO search (rowid, texts, people, numbers, facets)
SELECT row, texts, people, numbers, facets FROM search_source ORDER BY row;

UPDATE schema_version SET version = 11;
