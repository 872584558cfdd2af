-- xinfang schema on PostgreSQL, version 24 (data/schema/024_search_facet_sets.sql: nothing on
-- SQLite): each index row's filters (search.facets, one line per filter as pg/011 writes them:
-- the mark U+E000, a letter, a colon, the value) as one set in a GIN index, so the rows holding
-- every filter of a search are found together, in one read of the index.
--
-- The token table has every filter as a token of its own, but a filter is common (a department
-- holds a tenth of the cases), and several filters together are rare (department, category and
-- channel: one case in hundreds): a walk down a common word's rows that tests the filters on
-- each read hundreds of rows for every one it kept. With this index the program reads the
-- rows with every filter first when they are fewer than the word's (src/core/store_search_pg.c),
-- and asks each, newest first, whether it holds the words. A line equals its filter's token
-- whenever the token is shorter than the tokenizer's cap (256 bytes); a longer filter is
-- searched by the walk as before. Written without the pending list (fastupdate off): a commit's
-- re-index of a case adds five keys at once, and no search scans a list waiting to be merged.
CREATE INDEX search_facet_sets ON search USING gin ((string_to_array(facets, E'\n')))
  WITH (fastupdate = off);

UPDATE schema_version SET version = 24;
