-- Owner-key epochs: each `epoch_succession` statement (verified before it is stored), in
-- order. The coffre row holds the current epoch's keys.
-- Kept in step with ../postgres/20261202000003_successions.sql.
CREATE TABLE successions (
    coffre     BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    from_epoch INTEGER NOT NULL CHECK (from_epoch >= 0),
    statement  BLOB    NOT NULL,                          -- envelope bytes
    PRIMARY KEY (coffre, from_epoch)
) STRICT;
