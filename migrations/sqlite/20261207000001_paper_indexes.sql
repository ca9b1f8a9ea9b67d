-- The owner's metadata index of each category generation (protocol.md section 6.1). Kept in
-- step with ../postgres/20261207000001_paper_indexes.sql (same table, same columns). Times
-- are µs since the Unix epoch (UTC). One row per (coffre, category, generation): the newest
-- index only. Its file (an age file to the category key, up to 16 MiB) is the committed
-- blob `blob`; `statement` is the owner-signed `paper_index` over it, whose `seq` is kept
-- here to take only the next one.
CREATE TABLE paper_indexes (
    coffre     BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    category   BLOB    NOT NULL,
    generation INTEGER NOT NULL CHECK (generation >= 0),
    seq        INTEGER NOT NULL CHECK (seq >= 0),
    epoch      INTEGER NOT NULL CHECK (epoch >= 0),
    blob       BLOB    NOT NULL UNIQUE REFERENCES blobs (id),
    size       INTEGER NOT NULL CHECK (size >= 0),
    statement  BLOB    NOT NULL,
    stored_at  INTEGER NOT NULL,
    PRIMARY KEY (coffre, category, generation)
) STRICT;
