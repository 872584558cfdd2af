-- xinfang schema on PostgreSQL, version 10 (data/schema/010_case_file.sql): the case file shows
-- links both ways, so a case is found from the cases that link to it through an index. (Made
-- by 8 already, as on SQLite; kept for the stores that took 8 without it.)
CREATE INDEX IF NOT EXISTS links_linked ON links(linked_id);

UPDATE schema_version SET version = 10;
