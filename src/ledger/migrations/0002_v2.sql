-- Ledger schema 2 (handover 0.2.0): member states kept apart from the plan, keyed address
-- hashes, notices, evidence provenance and replay keys, site notices, sign-offs pinned to a
-- plan, and which member went into which bundle.
-- A released migration is history: never edit this file; add a new one.
-- Runs with foreign keys off (the decisions table is rebuilt) and is checked with
-- `PRAGMA foreign_key_check` before it commits.

DROP VIEW member_decisions;

-- A random per-case key for the keyed (SipHash) hashes of addresses and member rows,
-- written by handover when the ledger is created or upgraded. Without it a hash cannot be
-- tested against a guessed address.
CREATE TABLE case_secret (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hash_key BLOB NOT NULL CHECK (length(hash_key) = 16)
);

-- Decisions gain the opt-ins (practice changes whose new use waits for a yes) and who must
-- give a consent (the member, or a parent for a minor).
CREATE TABLE decisions_v2 (
    id INTEGER PRIMARY KEY,
    decision TEXT NOT NULL CHECK (decision IN ('exclude', 'transfer', 'notify', 'consent')),
    channel TEXT NOT NULL CHECK (channel IN ('', 'email', 'site-notice')),
    reason TEXT NOT NULL,
    rules TEXT NOT NULL,
    changes TEXT NOT NULL,
    opt_in TEXT NOT NULL DEFAULT '',
    consent_by TEXT NOT NULL DEFAULT '' CHECK (consent_by IN ('', 'member', 'parent')),
    UNIQUE (decision, channel, reason, rules, changes, opt_in, consent_by)
);
INSERT INTO decisions_v2 (id, decision, channel, reason, rules, changes)
    SELECT id, decision, channel, reason, rules, changes FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_v2 RENAME TO decisions;

-- Member states live apart from the plan, so that re-planning replaces `members` rows and
-- never renames or drops a table. A state holds while the member's decision and channel are
-- those it was reached under (see the view).
CREATE TABLE member_states (
    member_id TEXT PRIMARY KEY NOT NULL,
    decision TEXT NOT NULL,
    channel TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'delivered', 'bounced',
        'site-notice', 'uncertain', 'consented', 'excluded', 'ready')),
    since TEXT NOT NULL,
    told_at TEXT,
    evidence INTEGER REFERENCES evidence(id)
) WITHOUT ROWID;
INSERT INTO member_states (member_id, decision, channel, state, since)
    SELECT m.member_id, d.decision, d.channel, m.state,
           (SELECT planned_at FROM case_pin ORDER BY id DESC LIMIT 1)
    FROM members m JOIN decisions d ON d.id = m.decision
    WHERE m.state NOT IN ('pending', 'excluded', 'ready');
ALTER TABLE members DROP COLUMN state;
-- Schema 1 hashed addresses without a key; those hashes are dropped and the next plan
-- writes keyed ones.
UPDATE members SET email_key = NULL;
ALTER TABLE members ADD COLUMN fingerprint INTEGER;
-- No index on members(decision): every query by decision reads most members anyway, and
-- keeping one up to date cost a plan a fifth of its ledger time.

-- One row per notice intent: written before a message is sent and updated after, so a
-- crash never sends twice (a `sending` row found on restart becomes `uncertain`).
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    notice_key TEXT NOT NULL UNIQUE,
    pin INTEGER NOT NULL REFERENCES case_pin(id),
    version INTEGER NOT NULL,
    member_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('notice', 'consent-request')),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'site-notice')),
    address_key INTEGER,
    message_id TEXT UNIQUE,
    template_sha256 TEXT NOT NULL,
    current_sha256 TEXT NOT NULL,
    acquirer_sha256 TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('prepared', 'sending', 'sent', 'written',
        'rejected', 'uncertain')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX notices_member ON notices(member_id);
CREATE INDEX notices_address ON notices(address_key) WHERE address_key IS NOT NULL;
CREATE INDEX notices_state ON notices(state);

-- Evidence keeps where it came from, and a key that makes replays idempotent: the
-- provider's event id (`ses:...`, `sendgrid:...`) or `sha256:` of the raw record.
ALTER TABLE evidence ADD COLUMN dedupe_key TEXT;
ALTER TABLE evidence ADD COLUMN source_file TEXT;
ALTER TABLE evidence ADD COLUMN source_line INTEGER;
ALTER TABLE evidence ADD COLUMN raw_sha256 TEXT;
ALTER TABLE evidence ADD COLUMN message_id TEXT;
ALTER TABLE evidence ADD COLUMN notice INTEGER REFERENCES notices(id);
ALTER TABLE evidence ADD COLUMN changes TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX evidence_dedupe ON evidence(dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX evidence_message ON evidence(message_id) WHERE message_id IS NOT NULL;

-- The prominent notice on the site, a case-wide fact.
CREATE TABLE site_notices (
    id INTEGER PRIMARY KEY,
    pin INTEGER NOT NULL REFERENCES case_pin(id),
    url TEXT NOT NULL,
    posted_at TEXT NOT NULL,
    until TEXT,
    recorded_at TEXT NOT NULL,
    UNIQUE (url, posted_at)
);
CREATE TRIGGER site_notices_no_delete BEFORE DELETE ON site_notices
    BEGIN SELECT RAISE(ABORT, 'site notices are evidence: append-only'); END;

-- Bundles: one row per shard, and which members went into it.
ALTER TABLE exports ADD COLUMN shard INTEGER NOT NULL DEFAULT 1;
ALTER TABLE exports ADD COLUMN receipt_path TEXT NOT NULL DEFAULT '';
ALTER TABLE exports ADD COLUMN signoff INTEGER REFERENCES signoffs(id);
CREATE TABLE export_members (
    member_id TEXT NOT NULL,
    export INTEGER NOT NULL REFERENCES exports(id),
    PRIMARY KEY (member_id, export)
) WITHOUT ROWID;
CREATE INDEX export_members_export ON export_members(export);

-- One row per member of the plan in force, with the state recorded for it (time does the
-- rest: see `handover::machine::settle`).
CREATE VIEW member_decisions AS
    SELECT m.member_id, m.row, d.decision, d.channel, d.reason, d.rules, d.changes,
           d.opt_in, d.consent_by,
           CASE WHEN s.decision = d.decision AND s.channel = d.channel THEN s.state
                WHEN d.decision = 'exclude' THEN 'excluded'
                WHEN d.decision = 'transfer' THEN 'ready'
                ELSE 'pending' END AS state,
           CASE WHEN s.decision = d.decision AND s.channel = d.channel THEN s.since END
               AS state_since,
           CASE WHEN s.decision = d.decision AND s.channel = d.channel THEN s.told_at END
               AS told_at,
           r.review
    FROM members m JOIN decisions d ON d.id = m.decision
    LEFT JOIN member_states s ON s.member_id = m.member_id
    LEFT JOIN reviews r ON r.member_id = m.member_id;
