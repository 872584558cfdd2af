-- xinfang schema, version 6: the staff a complaint names (被投诉人员: operator accounts or
-- names) in a field of their own, so recusal and masking can find them.
ALTER TABLE cases ADD COLUMN accused TEXT NOT NULL DEFAULT '';
