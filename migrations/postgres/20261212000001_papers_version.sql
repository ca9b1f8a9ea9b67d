-- The version of each coffre's listing (docs/design/papers-server.md, "The listing"): moved
-- in the same transaction by every write that changes what `GET /api/papers` lists (a paper
-- made or deleted, an index stored, an epoch change), so a server that cached a listing
-- built at one version knows, with one read, whether any replica has written since. Kept in
-- step with ../sqlite/20261212000001_papers_version.sql.
ALTER TABLE coffres ADD COLUMN papers_version BIGINT NOT NULL DEFAULT 0 CHECK (papers_version >= 0);
