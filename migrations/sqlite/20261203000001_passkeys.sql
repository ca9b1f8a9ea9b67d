-- Passkeys (WebAuthn, through webauthn-rs) and the server-side state of their ceremonies.
-- Kept in step with ../postgres/20261203000001_passkeys.sql (same tables, same columns).
-- Times are µs since the Unix epoch (UTC).

-- A passkey of a coffre: webauthn-rs's credential record (public key, counter, flags; no
-- secret) and, when the authenticator gave a PRF output, the seed wrapped to the X25519
-- recipient derived from it (protocol.md 4.1). Without a wrap the passkey signs in only.
CREATE TABLE passkeys (
    id            BLOB    NOT NULL PRIMARY KEY,                   -- uuid v4
    coffre        BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    epoch         INTEGER NOT NULL CHECK (epoch >= 0),
    credential_id BLOB    NOT NULL UNIQUE,
    credential    TEXT    NOT NULL,                               -- webauthn-rs Passkey, JSON
    wrap          BLOB,
    label         TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER
) STRICT;

CREATE INDEX passkeys_coffre ON passkeys (coffre);

-- A WebAuthn ceremony under way (its challenge lives here, never in the browser): single
-- use, a few minutes. A registration belongs to the signed-in coffre; a sign-in to nobody yet.
CREATE TABLE webauthn_ceremonies (
    id         BLOB    NOT NULL PRIMARY KEY,                      -- uuid v4, given to the client
    coffre     BLOB    REFERENCES coffres (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('registration', 'sign_in')),
    state      TEXT    NOT NULL,                                  -- webauthn-rs state, JSON
    expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX webauthn_ceremonies_expires_at ON webauthn_ceremonies (expires_at);
