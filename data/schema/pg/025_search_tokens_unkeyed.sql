-- xinfang schema on PostgreSQL, version 25 (data/schema/025_search_tokens_unkeyed.sql: nothing
-- on SQLite): the token table loses its foreign key to the index rows.
--
-- Every token row's insert checked its index row through the key (a probe of search's primary
-- key and a share lock on its row), and every index row's delete cascaded into the tokens: of
-- the 1.6 million token rows a first push of 10^4 cases writes, the key was two thirds of the
-- time (the same rows into a copy of the table: 32 s with the key, 11 s without, on 2 shared
-- cores). The program writes the tokens only beside their index row, in the same statement or
-- transaction, and now deletes them by search_tokens_row itself wherever it deletes an index row
-- (src/core/store_search_pg.c, src/core/store_pgsearch.c), so nothing is left that the cascade
-- did.
ALTER TABLE search_tokens DROP CONSTRAINT IF EXISTS search_tokens_row_fkey;

UPDATE schema_version SET version = 25;
