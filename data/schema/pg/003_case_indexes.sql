-- xinfang schema on PostgreSQL, version 3 (data/schema/003_case_indexes.sql): every record of
-- a case is found through an index on its case, not by scanning the table.
CREATE INDEX IF NOT EXISTS petitioners_case ON petitioners(case_id);
CREATE INDEX IF NOT EXISTS instructions_case ON instructions(case_id);
CREATE INDEX IF NOT EXISTS returns_case ON returns(case_id);
CREATE INDEX IF NOT EXISTS outcomes_case ON outcomes(case_id);
CREATE INDEX IF NOT EXISTS replies_case ON replies(case_id);
CREATE INDEX IF NOT EXISTS extensions_case ON extensions(case_id);
CREATE INDEX IF NOT EXISTS urgings_case ON urgings(case_id);
CREATE INDEX IF NOT EXISTS materials_case ON materials(case_id);
CREATE INDEX IF NOT EXISTS links_case ON links(case_id);
CREATE INDEX IF NOT EXISTS closures_case ON closures(case_id);
CREATE INDEX IF NOT EXISTS printed_slips_case ON printed_slips(case_id);

UPDATE schema_version SET version = 3;
