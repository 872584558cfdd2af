-- xinfang schema, version 21: the head office's status bar across branches. pending_counts
-- (version 17) is keyed by branch first, which serves a branch's own counts and a head office's
-- few branches (branch IN ...); the head office's whole reach names no branch, so each of its
-- counts read the whole table — every branch, every department, every date. This index puts
-- the count's own terms first (limit, scope, department, date) and carries the count, so the
-- whole reach's sums read only the rows they add: one per branch for the total, one per branch
-- and date for a range, no table row visited.
CREATE INDEX pending_counts_across ON pending_counts(kind, scope, department, due, n);
