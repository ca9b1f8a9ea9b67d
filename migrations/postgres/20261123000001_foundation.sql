-- Foundation: the instance row and committed blobs.
-- Kept in step with ../sqlite/20261123000001_foundation.sql (same tables, same columns).

-- Exactly one row: this installation.
CREATE TABLE instance (
    singleton      BOOLEAN     NOT NULL PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    id             UUID        NOT NULL UNIQUE,
    created_at     TIMESTAMPTZ NOT NULL,
    schema_version BIGINT      NOT NULL
);

-- A row exists only once its object is completely written (two-phase write).
CREATE TABLE blobs (
    id         UUID        NOT NULL PRIMARY KEY,
    size       BIGINT      NOT NULL CHECK (size >= 0),
    sha256     BYTEA       NOT NULL CHECK (octet_length(sha256) = 32),
    created_at TIMESTAMPTZ NOT NULL,
    state      TEXT        NOT NULL CHECK (state IN ('committed', 'deleting'))
);

CREATE INDEX blobs_state ON blobs (state);
