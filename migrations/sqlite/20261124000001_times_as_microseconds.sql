-- Times become integer microseconds since the Unix epoch (UTC), as on PostgreSQL, so
-- ORDER BY and comparisons behave the same on both databases. Until now SQLite held
-- RFC 3339 text with a variable number of fractional digits ("…:00Z" sorted after
-- "…:00.5Z"). Kept in step with ../postgres/20261124000001_times_as_microseconds.sql.
--
-- The text is converted exactly: whole seconds through unixepoch() on the text without
-- its fraction (unixepoch rounds fractions to milliseconds), plus the fraction's first six
-- digits. Offsets (`Z` or `±HH:MM`) are honoured. A value SQLite cannot read makes the
-- migration fail (NOT NULL) rather than lose it.
-- STRICT tables cannot change a column's type: each table is rebuilt.

CREATE TABLE instance_new (
    singleton      INTEGER NOT NULL PRIMARY KEY DEFAULT 1 CHECK (singleton = 1),
    id             BLOB    NOT NULL UNIQUE,          -- uuid v4
    created_at     INTEGER NOT NULL,                 -- µs since the Unix epoch, UTC
    schema_version INTEGER NOT NULL                  -- newest migration applied
) STRICT;

INSERT INTO instance_new (singleton, id, created_at, schema_version)
SELECT singleton, id,
       unixepoch(substr(created_at, 1, 19)
                 || CASE WHEN created_at LIKE '%Z' THEN 'Z' ELSE substr(created_at, -6) END)
           * 1000000
       + CASE WHEN substr(created_at, 20, 1) = '.'
              THEN CAST(substr(substr(created_at, 21,
                                      length(created_at) - 20
                                      - CASE WHEN created_at LIKE '%Z' THEN 1 ELSE 6 END)
                               || '000000', 1, 6) AS INTEGER)
              ELSE 0 END,
       schema_version
FROM instance;

DROP TABLE instance;
ALTER TABLE instance_new RENAME TO instance;

CREATE TABLE blobs_new (
    id         BLOB    NOT NULL PRIMARY KEY,          -- uuid v4, the object's name
    size       INTEGER NOT NULL CHECK (size >= 0),    -- bytes of ciphertext
    sha256     BLOB    NOT NULL CHECK (length(sha256) = 32),
    created_at INTEGER NOT NULL,                      -- µs since the Unix epoch, UTC
    state      TEXT    NOT NULL CHECK (state IN ('committed', 'deleting'))
) STRICT;

INSERT INTO blobs_new (id, size, sha256, created_at, state)
SELECT id, size, sha256,
       unixepoch(substr(created_at, 1, 19)
                 || CASE WHEN created_at LIKE '%Z' THEN 'Z' ELSE substr(created_at, -6) END)
           * 1000000
       + CASE WHEN substr(created_at, 20, 1) = '.'
              THEN CAST(substr(substr(created_at, 21,
                                      length(created_at) - 20
                                      - CASE WHEN created_at LIKE '%Z' THEN 1 ELSE 6 END)
                               || '000000', 1, 6) AS INTEGER)
              ELSE 0 END,
       state
FROM blobs;

DROP TABLE blobs;
ALTER TABLE blobs_new RENAME TO blobs;

CREATE INDEX blobs_state ON blobs (state);
