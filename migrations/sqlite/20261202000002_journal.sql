-- The owner's journal: entries in the order the server gave them, each with the body
-- (an age file to the owner) and the server's signed inclusion receipt.
-- Kept in step with ../postgres/20261202000002_journal.sql.
CREATE TABLE journal_entries (
    coffre  BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL CHECK (seq >= 0),
    time    INTEGER NOT NULL CHECK (time >= 0),           -- the entry's `time` (Unix seconds)
    entry   BLOB    NOT NULL,                             -- the signed entry (envelope bytes)
    hash    BLOB    NOT NULL CHECK (length(hash) = 32),   -- its statement hash: the next `prev`
    body    BLOB    NOT NULL,
    receipt BLOB    NOT NULL,                             -- inclusion receipt (envelope bytes)
    PRIMARY KEY (coffre, seq)
) STRICT;
