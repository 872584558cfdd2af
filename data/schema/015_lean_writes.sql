-- xinfang schema, version 15: what every write costs, cut without changing what is kept.
--
-- 1. The lists of allowed values are written as comparisons. `CHECK (x IN ('a', 'b', 'c'))`
-- with three values or more makes SQLite build a temporary b-tree of the list on every row
-- written (2.5 µs against 0.7 µs for the same test as `x = 'a' OR x = 'b' …`; an import writes
-- tens of thousands of rows). So does the partial index cases_due_reply's WHERE. The tests
-- are the same tests, so every stored row still satisfies them and no row changes: the
-- tables' SQL is edited in place (PRAGMA writable_schema, as SQLite documents for changes that
-- leave the stored format alone) instead of rebuilding the tables. A rebuild would copy
-- every case, drop tables that refuse deletes and are referenced by every record, and
-- re-create their indexes and triggers, for the same result. The edit is followed by
-- writable_schema = RESET (this connection reads the schema again) and by the statements
-- below that change the schema, which raise schema_version so every other connection reads
-- it again too; `xinfang verify` runs integrity_check, which checks every row against the
-- CHECKs as they now read.
--
-- 2. The text index keeps no copy of the texts (content = ''): the texts are the cases' own
-- (search_source), read from there when a result shows them. A contentless FTS5 table cannot
-- delete a row by its rowid alone, so the store deletes a case's old terms with the values
-- they were indexed from, read through search_source before the transaction's first change
-- to that case (src/core/store_search.c). The index is built again here for the cases
-- already in the store.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(replace(sql,
  'CHECK (kind IN (''transfer'', ''handle'', ''reply''))',
  'CHECK (kind = ''transfer'' OR kind = ''handle'' OR kind = ''reply'')'),
  'CHECK (unit IN (''day'', ''workday'', ''month''))',
  'CHECK (unit = ''day'' OR unit = ''workday'' OR unit = ''month'')')
WHERE type = 'table' AND name = 'limit_rules';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (role IN (''operator'', ''head'', ''handler'', ''admin''))',
  'CHECK (role = ''operator'' OR role = ''head'' OR role = ''handler'' OR role = ''admin'')')
WHERE type = 'table' AND name = 'operators';
UPDATE sqlite_schema SET sql = replace(replace(sql,
  'CHECK (state IN (''queued'', ''transferred'', ''reported'', ''replied'', ''closed''))',
  'CHECK (state = ''queued'' OR state = ''transferred'' OR state = ''reported'' OR state = ''replied'' OR state = ''closed'')'),
  'CHECK (importance IN (''一般'', ''重要''))',
  'CHECK (importance = ''一般'' OR importance = ''重要'')')
WHERE type = 'table' AND name = 'cases';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (satisfaction IN (''满意'', ''基本满意'', ''不满意'', ''未表态''))',
  'CHECK (satisfaction = ''满意'' OR satisfaction = ''基本满意'' OR satisfaction = ''不满意'' OR satisfaction = ''未表态'')')
WHERE type = 'table' AND name = 'outcomes';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (method IN (''口头'', ''书面''))',
  'CHECK (method = ''口头'' OR method = ''书面'')')
WHERE type = 'table' AND name = 'replies';
UPDATE sqlite_schema SET sql = replace(replace(sql,
  'CHECK (limit_kind IN (''handle'', ''reply''))',
  'CHECK (limit_kind = ''handle'' OR limit_kind = ''reply'')'),
  'CHECK (decision IN (''pending'', ''approved'', ''denied''))',
  'CHECK (decision = ''pending'' OR decision = ''approved'' OR decision = ''denied'')')
WHERE type = 'table' AND name = 'extensions';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (axis IN (''channel'', ''type'', ''cause''))',
  'CHECK (axis = ''channel'' OR axis = ''type'' OR axis = ''cause'')')
WHERE type = 'table' AND name = 'jrt_codes';
-- The queue and the recount name this WHERE as they find it (src/core/store.c pending_states).
UPDATE sqlite_schema SET sql = replace(sql,
  'WHERE state IN (''queued'', ''transferred'', ''reported'')',
  'WHERE (state = ''queued'' OR state = ''transferred'' OR state = ''reported'')')
WHERE type = 'index' AND name = 'cases_due_reply';
PRAGMA writable_schema = RESET;

DROP TABLE IF EXISTS search;
CREATE VIRTUAL TABLE search USING fts5(texts, people, numbers, facets, tokenize = 'xinfang2', content = '',
                                       columnsize = 0);
INSERT INTO search (rowid, texts, people, numbers, facets)
SELECT row, texts, people, numbers, facets FROM search_source ORDER BY row;
