-- xinfang schema, version 20: the head office's figures and limits across branches. Every
-- query of the figures and of the limits list now keeps to the reader's branches (the branch
-- column of version 17), so the indexes that serve them carry the branch too:
-- - cases_stats, the statistics' covering index (version 8), ends with the branch: a year's
--   figures of one branch, of a head office's branches or by branch stay one sequential read,
--   no case row visited;
-- - the partial due-date indexes (version 1; cases_due_reply's condition as version 15 wrote
--   it) carry the branch after the date: the head office's limits list across a thousand
--   branches reads the earliest dates first and tests the branch in the index, so its first
--   page reads about a page of index entries, not the cases of every branch.
-- Same names, same conditions: the queries that name them (INDEXED BY) are unchanged.
DROP INDEX cases_stats;
CREATE INDEX cases_stats ON cases(received, channel, category, department, importance, state, closure,
                                  transferred_on, due_transfer, reported_on, due_handle, replied_on, due_reply, branch);
DROP INDEX cases_due_transfer;
CREATE INDEX cases_due_transfer ON cases(due_transfer, branch) WHERE state = 'queued';
DROP INDEX cases_due_handle;
CREATE INDEX cases_due_handle ON cases(due_handle, branch) WHERE state IN ('queued', 'transferred');
DROP INDEX cases_due_reply;
CREATE INDEX cases_due_reply ON cases(due_reply, branch) WHERE state = 'queued' OR state = 'transferred' OR state = 'reported';
