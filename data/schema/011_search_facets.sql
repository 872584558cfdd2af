-- xinfang schema, version 11: the text index also holds each case's state, department,
-- category, channel and importance as one token each (a private-use mark U+E000, a letter, a
-- colon and the value), so a search with filters is answered by the index alone: a common
-- word with narrow filters read every match through the cases table before (0.6 s at 10^6
-- cases), the index intersects the lists in a millisecond. The filters are still checked on
-- the cases themselves; the tokens only find the candidates. The mark is taken out of the
-- other columns (GB18030's first user-defined character, a hand-made rare character in a
-- name, decodes to it), so no text can start a filter token and every word stays findable.
-- The tokenizer's name is new (`xinfang2`, the same code): a build from before this version
-- does not know it, so it cannot write this index in the old shape and fails instead.
DROP VIEW IF EXISTS search_source;
DROP TABLE IF EXISTS search;
CREATE VIRTUAL TABLE search USING fts5(texts, people, numbers, facets, tokenize = 'xinfang2', columnsize = 0);

CREATE VIEW search_source AS
SELECT c.id AS case_id,
       (coalesce(CAST(julianday(c.received) AS INTEGER), 0) << 32) | c.id AS row,
       replace(c.subject || char(10) || c.accused || char(10) || c.summary || char(10) || c.spot_answer
       || coalesce((SELECT char(10) || group_concat(t.summary || char(10) || t.instruction || char(10) || t.opinion, char(10))
                    FROM transfers t WHERE t.case_id = c.id), '')
       || coalesce((SELECT char(10) || group_concat(i.text, char(10)) FROM instructions i WHERE i.case_id = c.id), '')
       || coalesce((SELECT char(10) || group_concat(o.findings || char(10) || o.accountability || char(10) || o.rectification, char(10))
                    FROM outcomes o WHERE o.case_id = c.id), '')
       || coalesce((SELECT char(10) || group_concat(r.content, char(10)) FROM replies r WHERE r.case_id = c.id), '')
       || coalesce((SELECT char(10) || group_concat(u.target || char(10) || u.note, char(10)) FROM urgings u WHERE u.case_id = c.id), '')
       || coalesce((SELECT char(10) || group_concat(k.reason || char(10) || k.advice, char(10)) FROM closures k WHERE k.case_id = c.id), ''),
       char(57344), '') AS texts,
       replace(coalesce((SELECT group_concat(p.name || char(10) || p.address || char(10) || p.work_unit, char(10))
                 FROM petitioners p WHERE p.case_id = c.id), ''), char(57344), '') AS people,
       replace(coalesce((SELECT group_concat(p.id_number || ' ' || p.phone, char(10))
                 FROM petitioners p WHERE p.case_id = c.id), ''), char(57344), '') AS numbers,
       char(57344) || 's:' || c.state || char(10) || char(57344) || 'd:' || c.department || char(10)
       || char(57344) || 'c:' || c.category || char(10) || char(57344) || 'h:' || c.channel || char(10)
       || char(57344) || 'i:' || c.importance AS facets
FROM cases c;

-- The index again, in rowid order (one write of the terms, not one per case).
INSERT INTO search (rowid, texts, people, numbers, facets)
SELECT row, texts, people, numbers, facets FROM search_source ORDER BY row;
