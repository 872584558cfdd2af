-- xinfang schema, version 8: the text index for finding cases, and the indexes statistics read.
--
-- `search` holds, per case, the case's texts, its petitioners' names, addresses and work
-- units, and their ID numbers and phones, cut into tokens by the `xinfang` tokenizer
-- (src/core/search.c: Chinese as characters and character pairs, so one- and two-character
-- words are found; digit runs with their last 4 to 24 digits). Its rowid orders cases by
-- receipt: the day number of `received` in the high bits, the case id in the low 32, so the
-- newest match comes first without sorting. `search_source` is the one definition of what is
-- indexed; the store re-reads it for every case a transaction changed, before it commits.
CREATE VIRTUAL TABLE search USING fts5(texts, people, numbers, tokenize = 'xinfang', columnsize = 0);

CREATE TABLE search_rows (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  row     INTEGER NOT NULL           -- rowid in search
);

CREATE VIEW search_source AS
SELECT c.id AS case_id,
       (coalesce(CAST(julianday(c.received) AS INTEGER), 0) << 32) | c.id AS row,
       c.subject || char(10) || c.accused || char(10) || c.summary || char(10) || c.spot_answer
       || coalesce((SELECT char(10) || group_concat(t.summary || char(10) || t.instruction || char(10) || t.opinion, char(10))
                    FROM transfers t WHERE t.case_id = c.id), '')
       || coalesce((SELECT char(10) || group_concat(i.text, char(10)) FROM instructions i WHERE i.case_id = c.id), '')
       || coalesce((SELECT char(10) || group_concat(o.findings || char(10) || o.accountability || char(10) || o.rectification, char(10))
                    FROM outcomes o WHERE o.case_id = c.id), '')
       || coalesce((SELECT char(10) || group_concat(r.content, char(10)) FROM replies r WHERE r.case_id = c.id), '')
       || coalesce((SELECT char(10) || group_concat(u.target || char(10) || u.note, char(10)) FROM urgings u WHERE u.case_id = c.id), '')
       || coalesce((SELECT char(10) || group_concat(k.reason || char(10) || k.advice, char(10)) FROM closures k WHERE k.case_id = c.id), '')
       AS texts,
       coalesce((SELECT group_concat(p.name || char(10) || p.address || char(10) || p.work_unit, char(10))
                 FROM petitioners p WHERE p.case_id = c.id), '') AS people,
       coalesce((SELECT group_concat(p.id_number || ' ' || p.phone, char(10))
                 FROM petitioners p WHERE p.case_id = c.id), '') AS numbers
FROM cases c;

-- The index for the cases already in the store.
INSERT INTO search_rows (case_id, row) SELECT case_id, row FROM search_source;
INSERT INTO search (rowid, texts, people, numbers) SELECT row, texts, people, numbers FROM search_source;

-- Statistics read a range of receipt dates: everything the counts and rates need is in this
-- index, so a year is one sequential read. Satisfaction comes from the outcome; repeat
-- petitions are found from either side of a link.
CREATE INDEX cases_stats ON cases(received, channel, category, department, importance, state, closure,
                                  transferred_on, due_transfer, reported_on, due_handle, replied_on, due_reply);
CREATE INDEX outcomes_satisfaction ON outcomes(case_id, satisfaction);
CREATE INDEX IF NOT EXISTS links_linked ON links(linked_id);
