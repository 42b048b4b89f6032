-- Ledger schema 1 (handover 0.1.0): case pin, decisions, members, evidence, signoffs, exports.
-- A released migration is history: never edit this file; add a new one.
CREATE TABLE case_pin (
    id INTEGER PRIMARY KEY,
    planned_at TEXT NOT NULL,
    case_sha256 TEXT NOT NULL,
    current_path TEXT NOT NULL,
    current_sha256 TEXT NOT NULL,
    acquirer_path TEXT NOT NULL,
    acquirer_sha256 TEXT NOT NULL,
    packs TEXT NOT NULL,
    members_sha256 TEXT NOT NULL,
    members INTEGER NOT NULL,
    notice_period_days INTEGER NOT NULL,
    tool_version TEXT NOT NULL,
    replan INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    decision TEXT NOT NULL CHECK (decision IN ('exclude', 'transfer', 'notify', 'consent')),
    channel TEXT NOT NULL,
    reason TEXT NOT NULL,
    rules TEXT NOT NULL,
    changes TEXT NOT NULL,
    UNIQUE (decision, channel, reason, rules, changes)
);
CREATE TABLE members (
    member_id TEXT PRIMARY KEY NOT NULL,
    row INTEGER NOT NULL,
    email_key INTEGER,
    decision INTEGER NOT NULL REFERENCES decisions(id),
    state TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE reviews (
    member_id TEXT PRIMARY KEY NOT NULL,
    row INTEGER NOT NULL,
    review TEXT NOT NULL
) WITHOUT ROWID;
CREATE VIEW member_decisions AS
    SELECT m.member_id, m.row, d.decision, d.channel, d.reason, d.rules, d.changes,
           m.state, r.review
    FROM members m JOIN decisions d ON d.id = m.decision
    LEFT JOIN reviews r ON r.member_id = m.member_id;
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    member_id TEXT NOT NULL,
    event TEXT NOT NULL,
    at TEXT NOT NULL,
    source TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX evidence_member ON evidence(member_id, event);
CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
    BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
    BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;
CREATE TABLE signoffs (
    id INTEGER PRIMARY KEY,
    pin INTEGER NOT NULL REFERENCES case_pin(id),
    by TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    pin INTEGER NOT NULL REFERENCES case_pin(id),
    at TEXT NOT NULL,
    path TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    members INTEGER NOT NULL,
    recipients TEXT NOT NULL
);
