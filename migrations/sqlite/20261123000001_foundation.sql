-- Foundation: the instance row and committed blobs.
-- Kept in step with ../postgres/20261123000001_foundation.sql (same tables, same columns).

-- Exactly one row: this installation.
CREATE TABLE instance (
    singleton      INTEGER NOT NULL PRIMARY KEY DEFAULT 1 CHECK (singleton = 1),
    id             BLOB    NOT NULL UNIQUE,          -- uuid v4
    created_at     TEXT    NOT NULL,                 -- RFC 3339, UTC
    schema_version INTEGER NOT NULL                  -- newest migration applied
) STRICT;

-- A row exists only once its object is completely written (two-phase write).
CREATE TABLE blobs (
    id         BLOB    NOT NULL PRIMARY KEY,          -- uuid v4, the object's name
    size       INTEGER NOT NULL CHECK (size >= 0),    -- bytes of ciphertext
    sha256     BLOB    NOT NULL CHECK (length(sha256) = 32),
    created_at TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('committed', 'deleting'))
) STRICT;

CREATE INDEX blobs_state ON blobs (state);
