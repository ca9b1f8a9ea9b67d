-- The owner's metadata index of each category generation (protocol.md section 6.1). Kept in
-- step with ../sqlite/20261207000001_paper_indexes.sql (same table, same columns). Times
-- are µs since the Unix epoch (UTC). One row per (coffre, category, generation): the newest
-- index only. Its file (an age file to the category key, up to 16 MiB) is the committed
-- blob `blob`; `statement` is the owner-signed `paper_index` over it, whose `seq` is kept
-- here to take only the next one.
CREATE TABLE paper_indexes (
    coffre     UUID    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    category   UUID    NOT NULL,
    generation BIGINT  NOT NULL CHECK (generation >= 0),
    seq        BIGINT  NOT NULL CHECK (seq >= 0),
    epoch      BIGINT  NOT NULL CHECK (epoch >= 0),
    blob       UUID    NOT NULL UNIQUE REFERENCES blobs (id),
    size       BIGINT  NOT NULL CHECK (size >= 0),
    statement  BYTEA   NOT NULL,
    stored_at  BIGINT  NOT NULL,
    PRIMARY KEY (coffre, category, generation)
);
