-- Ledger schema 3 (handover 0.2.0): an index of the plan's members in members-file row order.
-- A released migration is history: never edit this file; add a new one.
-- `export` merges the members file with the plan row by row; without this index SQLite sorted
-- every member (spilling to temporary files) on each pass. The index holds the decision and
-- the row's fingerprint too (and, as in every index of a WITHOUT ROWID table, the member id),
-- so the ordered pass never looks a member up by id. `plan` writes members in row order, so
-- the index grows at its end.
CREATE INDEX members_row ON members(row, decision, fingerprint);
