-- xinfang schema, version 26: the login a branch's push must come as.
--
-- A head office on a PostgreSQL server knows who connects (each branch's push gets a login of
-- its own, README "A head office and its branches"); the branch's code alone does not: a
-- branch's admin could give a new file another branch's code and push first, and the real
-- branch would then be refused as rewritten. `branch add … push_login=ROLE` (or
-- `branch push-login CODE ROLE`) names the login; a push as any other is refused before it
-- writes. Empty: any login the server lets in (as before). An SQLite head office has no logins
-- and keeps the column empty; the column is here so that both backends hold the same tables.
ALTER TABLE branches ADD COLUMN push_login TEXT NOT NULL DEFAULT '';
