-- Hardening (issue 18).

-- The head of the audit chain, one row: every audited transaction locks it first (SELECT ... FOR UPDATE), so writers
-- in other processes (rheumalens import, a second server on the same PostgreSQL) wait their turn instead of chaining
-- two events onto the same previous hash.
CREATE TABLE audit_head (
  id    INTEGER     PRIMARY KEY CHECK (id = 1),
  hash  VARCHAR(64) NOT NULL
);
INSERT INTO audit_head (id, hash)
  SELECT 1, COALESCE((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1),
                     '0000000000000000000000000000000000000000000000000000000000000000');

-- Original file names often carry PHI (DOE_JOHN_MRN-0001.dcm): images keep a display name instead, and names stored
-- before are replaced. (Audit events written before this migration keep theirs: rewriting them would break the chain.)
ALTER TABLE images RENAME COLUMN original_name TO display_name;
UPDATE images SET display_name = 'image-' || SUBSTRING(sha256, 1, 12);

-- Idle sessions end: the last request a session made.
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMP WITH TIME ZONE;
UPDATE sessions SET last_seen_at = created_at;
