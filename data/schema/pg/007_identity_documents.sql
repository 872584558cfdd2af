-- xinfang schema on PostgreSQL, version 7 (data/schema/007_identity_documents.sql): the
-- petitioner's identity document is one of several kinds; id_number holds its number in the one
-- written form of identity_normalize. Numbers stored before this version were resident ID
-- numbers.
ALTER TABLE petitioners ADD COLUMN id_type text NOT NULL DEFAULT '';
UPDATE petitioners SET id_type = '居民身份证' WHERE id_number <> '';

UPDATE schema_version SET version = 7;
