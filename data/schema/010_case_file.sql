-- xinfang schema, version 10: the case file shows links both ways, so a case is found from
-- the cases that link to it through an index, not a scan.
CREATE INDEX IF NOT EXISTS links_linked ON links(linked_id);
