-- Papers (protocol.md section 6) and the uploads that make them. Kept in step with
-- ../postgres/20261206000001_papers.sql (same tables, same columns). Times are µs since the
-- Unix epoch (UTC). The server keeps only what it needs to serve and check a paper: ids,
-- category, generation, sizes, hashes, times and the signed statement; the metadata (title,
-- type, dates, file name, pages) is an age file it cannot open.

-- A paper: its content is the committed blob `content`; `meta` its metadata age file;
-- `statement` the signed `upload`.
CREATE TABLE papers (
    id             BLOB    NOT NULL PRIMARY KEY,                     -- uuid v4, chosen by the uploader
    coffre         BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    category       BLOB    NOT NULL,
    generation     INTEGER NOT NULL CHECK (generation >= 0),
    content        BLOB    NOT NULL UNIQUE REFERENCES blobs (id),
    content_size   INTEGER NOT NULL CHECK (content_size >= 0),
    meta           BLOB    NOT NULL,
    statement      BLOB    NOT NULL,
    created_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX papers_coffre ON papers (coffre, created_at);

-- The owner's signed `deletion` of each deleted paper: a listing without a paper must show
-- why (protocol.md section 6, `PaperMissing`).
CREATE TABLE paper_deletions (
    coffre     BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    paper      BLOB    NOT NULL,
    statement  BLOB    NOT NULL,
    deleted_at INTEGER NOT NULL,
    PRIMARY KEY (coffre, paper)
) STRICT;

-- An upload under way: the ciphertext arrives in chunks of `chunk_size` bytes (the last
-- one shorter), each a committed blob, so a cut connection resumes where it stopped and a
-- replica other than the first can take the next chunk. Nothing is a paper before commit.
CREATE TABLE uploads (
    id           BLOB    NOT NULL PRIMARY KEY,                       -- uuid v4
    coffre       BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    content_size INTEGER NOT NULL CHECK (content_size >= 0),
    chunk_size   INTEGER NOT NULL CHECK (chunk_size > 0),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX uploads_coffre ON uploads (coffre);
CREATE INDEX uploads_expires ON uploads (expires_at);

CREATE TABLE upload_chunks (
    upload BLOB    NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    idx    INTEGER NOT NULL CHECK (idx >= 0),
    blob   BLOB    NOT NULL UNIQUE REFERENCES blobs (id),
    size   INTEGER NOT NULL CHECK (size >= 0),
    PRIMARY KEY (upload, idx)
) STRICT;
