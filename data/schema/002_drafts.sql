-- xinfang schema, version 2: unfinished forms kept per operator, offered again after a quit,
-- a crash or a lost connection. A draft is not a record of the case: it is replaced as the
-- operator types and dropped when the form is saved or abandoned.
CREATE TABLE drafts (
  operator   TEXT NOT NULL,
  form       TEXT NOT NULL,
  fields     TEXT NOT NULL,              -- JSON object of the form's values
  updated_at TEXT NOT NULL,
  PRIMARY KEY (operator, form)
);
