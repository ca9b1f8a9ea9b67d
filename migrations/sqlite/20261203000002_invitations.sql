-- Account roles and one-time invitations. Kept in step with
-- ../postgres/20261203000002_invitations.sql (same tables, same columns).
-- Times are µs since the Unix epoch (UTC).

-- What an account is for: a person's coffre, a professional's account (aidant, responsable:
-- the organisation side comes with mandates), or the instance admin. A professional or admin
-- account is opened only from an invitation.
ALTER TABLE coffres ADD COLUMN role TEXT NOT NULL DEFAULT 'person'
    CHECK (role IN ('person', 'professional', 'admin'));

-- A one-time invitation link (`coffre admin invite`): the link carries 32 random bytes in its
-- fragment; only their SHA-256 is kept. Used once, before it expires.
CREATE TABLE invitations (
    token_sha256 BLOB    NOT NULL PRIMARY KEY CHECK (length(token_sha256) = 32),
    role         TEXT    NOT NULL CHECK (role IN ('professional', 'admin')),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
) STRICT;
