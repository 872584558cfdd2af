-- xinfang schema on PostgreSQL, version 20 (data/schema/020_supervision.sql): the statistics'
-- covering index and the partial due-date indexes carry the branch, so the figures of a
-- branch or of a head office's branches, and the limits list across branches, are read from
-- the index alone. Same names and conditions as on SQLite.
DROP INDEX cases_stats;
CREATE INDEX cases_stats ON cases(received, channel, category, department, importance, state, closure,
                                  transferred_on, due_transfer, reported_on, due_handle, replied_on, due_reply, branch);
DROP INDEX cases_due_transfer;
CREATE INDEX cases_due_transfer ON cases(due_transfer, branch) WHERE state = 'queued';
DROP INDEX cases_due_handle;
CREATE INDEX cases_due_handle ON cases(due_handle, branch) WHERE state IN ('queued', 'transferred');
DROP INDEX cases_due_reply;
CREATE INDEX cases_due_reply ON cases(due_reply, branch) WHERE state = 'queued' OR state = 'transferred' OR state = 'reported';

UPDATE schema_version SET version = 20;
