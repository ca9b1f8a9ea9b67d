-- "Se souvenir de ce téléphone" (protocol.md 4.5). Kept in step with
-- ../postgres/20261203000003_remembered_devices.sql (same tables, same columns).
-- Times are µs since the Unix epoch (UTC).

-- A remembered device: its Ed25519 auth public key and the server's half of its wrap key
-- (the device keeps the other half and the wrap). Deleting the row ("mon téléphone a été
-- volé") makes the device's wrap unopenable and ends its sessions.
CREATE TABLE remembered_devices (
    id           BLOB    NOT NULL PRIMARY KEY,                     -- uuid v4
    coffre       BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    epoch        INTEGER NOT NULL CHECK (epoch >= 0),
    auth_key     BLOB    NOT NULL UNIQUE CHECK (length(auth_key) = 32),
    server_half  BLOB    NOT NULL CHECK (length(server_half) = 32),
    label        TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
) STRICT;

CREATE INDEX remembered_devices_coffre ON remembered_devices (coffre);

-- A session a remembered device opened (with the PIN): it is no recovery factor, and it
-- ends when the device is forgotten.
ALTER TABLE sessions ADD COLUMN device BLOB REFERENCES remembered_devices (id) ON DELETE CASCADE;
