-- The owner's latest journal checkpoint (protocol.md section 9): a `journal_checkpoint`
-- the owner's device signed after verifying the journal up to `seq`. A new device checks
-- this one signature, then the entries after it; the entries up to it are bound by their
-- hash links. Kept in step with ../sqlite/20261204000001_journal_checkpoints.sql.
CREATE TABLE journal_checkpoints (
    coffre    UUID    NOT NULL PRIMARY KEY REFERENCES coffres (id) ON DELETE CASCADE,
    epoch     BIGINT NOT NULL CHECK (epoch >= 0),
    seq       BIGINT NOT NULL CHECK (seq >= 0),
    statement BYTEA    NOT NULL                                -- the signed checkpoint (envelope bytes)
);
