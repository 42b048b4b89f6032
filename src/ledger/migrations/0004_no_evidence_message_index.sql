-- Ledger schema 4 (handover 0.2.0): the index evidence(message_id) is dropped.
-- A released migration is history: never edit this file; add a new one.
-- No query of handover reads evidence by Message-ID (record matches events through
-- notices.message_id), and keeping the index up to date at a random place for every event
-- cost `record` about a tenth of its time (1 million SES events, three alternating runs:
-- 21.1 s with it, 18.8 s without). A reader that wants an event's evidence by Message-ID
-- finds the notice first (notices.message_id is unique) and then evidence by member.
DROP INDEX IF EXISTS evidence_message;
