-- Owner-key epochs: each `epoch_succession` statement (verified before it is stored), in
-- order. The coffre row holds the current epoch's keys.
-- Kept in step with ../sqlite/20261202000003_successions.sql.
CREATE TABLE successions (
    coffre     UUID    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    from_epoch BIGINT  NOT NULL CHECK (from_epoch >= 0),
    statement  BYTEA   NOT NULL,                          -- envelope bytes
    PRIMARY KEY (coffre, from_epoch)
);
