-- The instance's server key: the 32 secret bytes of the Ed25519 key the server signs
-- receipts with, kept with the instance row so replicas share it. NULL until the first
-- start after this migration fills it (once: `WHERE server_key IS NULL`).
-- Kept in step with ../postgres/20261201000001_server_key.sql.

ALTER TABLE instance ADD COLUMN server_key BLOB CHECK (length(server_key) = 32);
