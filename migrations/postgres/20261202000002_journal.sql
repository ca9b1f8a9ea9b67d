-- The owner's journal: entries in the order the server gave them, each with the body
-- (an age file to the owner) and the server's signed inclusion receipt.
-- Kept in step with ../sqlite/20261202000002_journal.sql.
CREATE TABLE journal_entries (
    coffre  UUID    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    seq     BIGINT  NOT NULL CHECK (seq >= 0),
    time    BIGINT  NOT NULL CHECK (time >= 0),           -- the entry's `time` (Unix seconds)
    entry   BYTEA   NOT NULL,                             -- the signed entry (envelope bytes)
    hash    BYTEA   NOT NULL CHECK (octet_length(hash) = 32), -- its statement hash: the next `prev`
    body    BYTEA   NOT NULL,
    receipt BYTEA   NOT NULL,                             -- inclusion receipt (envelope bytes)
    PRIMARY KEY (coffre, seq)
);
