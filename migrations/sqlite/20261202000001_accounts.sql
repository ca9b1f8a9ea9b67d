-- Accounts: coffres, their categories, unlock factors, sessions, sign-in nonces and rate
-- limits. Kept in step with ../postgres/20261202000001_accounts.sql (same tables, same
-- columns). Times are µs since the Unix epoch (UTC); keys and hashes are raw bytes.

-- One row per coffre: its current owner keys (public) and epoch.
CREATE TABLE coffres (
    id              BLOB    NOT NULL PRIMARY KEY,                 -- uuid v4, chosen by the client
    created_at      INTEGER NOT NULL,
    epoch           INTEGER NOT NULL CHECK (epoch >= 0),
    owner_key       BLOB    NOT NULL CHECK (length(owner_key) = 32), -- Ed25519 public key
    owner_recipient TEXT    NOT NULL                              -- age1…
) STRICT;

-- A category generation: the owner-signed certificate (verified before it is stored), the
-- sealed label and the category key wrapped to the owner (age files the server cannot open).
CREATE TABLE categories (
    coffre     BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    id         BLOB    NOT NULL,                                  -- uuid v4
    generation INTEGER NOT NULL CHECK (generation >= 0),
    cert       BLOB    NOT NULL,                                  -- envelope bytes
    label      BLOB    NOT NULL,
    wrap       BLOB    NOT NULL,
    PRIMARY KEY (coffre, id, generation)
) STRICT;

-- A way in: the seed wrapped to the factor (an age file) and, for the carte and the
-- passphrase, the Ed25519 auth public key that signs sign-in challenges. The carte's PIN is
-- an Argon2id hash (PHC string); five wrong PINs in a row lock the carte.
CREATE TABLE unlock_factors (
    id           BLOB    NOT NULL PRIMARY KEY,                    -- uuid v4
    coffre       BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('carte', 'passphrase', 'passkey')),
    epoch        INTEGER NOT NULL CHECK (epoch >= 0),
    auth_key     BLOB    UNIQUE CHECK (length(auth_key) = 32),
    wrap         BLOB    NOT NULL,
    pin_hash     TEXT,
    failed_pins  INTEGER NOT NULL DEFAULT 0 CHECK (failed_pins >= 0),
    locked_at    INTEGER,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
) STRICT;

CREATE INDEX unlock_factors_coffre ON unlock_factors (coffre);

-- A signed-in browser. The cookie carries 32 random bytes; only their SHA-256 is kept.
CREATE TABLE sessions (
    token_sha256 BLOB    NOT NULL PRIMARY KEY CHECK (length(token_sha256) = 32),
    id           BLOB    NOT NULL UNIQUE,                         -- uuid v4, shown in "my devices"
    coffre       BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    factor       BLOB    REFERENCES unlock_factors (id) ON DELETE SET NULL,
    factor_kind  TEXT    NOT NULL CHECK (factor_kind IN ('carte', 'passphrase', 'passkey')),
    label        TEXT    NOT NULL,
    shared       INTEGER NOT NULL,                                -- boolean
    csrf         BLOB    NOT NULL CHECK (length(csrf) = 32),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_coffre ON sessions (coffre);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Sign-in challenges: single use (deleted when used), short-lived.
CREATE TABLE auth_nonces (
    nonce      BLOB    NOT NULL PRIMARY KEY CHECK (length(nonce) = 32),
    expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX auth_nonces_expires_at ON auth_nonces (expires_at);

-- Fixed-window counters shared by every replica ("signin-ip:…", "signin-key:…", …).
CREATE TABLE rate_limits (
    bucket       TEXT    NOT NULL PRIMARY KEY,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL CHECK (count >= 0)
) STRICT;
