-- Accounts: coffres, their categories, unlock factors, sessions, sign-in nonces and rate
-- limits. Kept in step with ../sqlite/20261202000001_accounts.sql (same tables, same
-- columns). Times are µs since the Unix epoch (UTC); keys and hashes are raw bytes.

-- One row per coffre: its current owner keys (public) and epoch.
CREATE TABLE coffres (
    id              UUID    NOT NULL PRIMARY KEY,                 -- uuid v4, chosen by the client
    created_at      BIGINT  NOT NULL,
    epoch           BIGINT  NOT NULL CHECK (epoch >= 0),
    owner_key       BYTEA   NOT NULL CHECK (octet_length(owner_key) = 32), -- Ed25519 public key
    owner_recipient TEXT    NOT NULL                              -- age1…
);

-- A category generation: the owner-signed certificate (verified before it is stored), the
-- sealed label and the category key wrapped to the owner (age files the server cannot open).
CREATE TABLE categories (
    coffre     UUID    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    id         UUID    NOT NULL,                                  -- uuid v4
    generation BIGINT  NOT NULL CHECK (generation >= 0),
    cert       BYTEA   NOT NULL,                                  -- envelope bytes
    label      BYTEA   NOT NULL,
    wrap       BYTEA   NOT NULL,
    PRIMARY KEY (coffre, id, generation)
);

-- A way in: the seed wrapped to the factor (an age file) and, for the carte and the
-- passphrase, the Ed25519 auth public key that signs sign-in challenges. The carte's PIN is
-- an Argon2id hash (PHC string); five wrong PINs in a row lock the carte.
CREATE TABLE unlock_factors (
    id           UUID    NOT NULL PRIMARY KEY,                    -- uuid v4
    coffre       UUID    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('carte', 'passphrase', 'passkey')),
    epoch        BIGINT  NOT NULL CHECK (epoch >= 0),
    auth_key     BYTEA   UNIQUE CHECK (octet_length(auth_key) = 32),
    wrap         BYTEA   NOT NULL,
    pin_hash     TEXT,
    failed_pins  BIGINT  NOT NULL DEFAULT 0 CHECK (failed_pins >= 0),
    locked_at    BIGINT,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT
);

CREATE INDEX unlock_factors_coffre ON unlock_factors (coffre);

-- A signed-in browser. The cookie carries 32 random bytes; only their SHA-256 is kept.
CREATE TABLE sessions (
    token_sha256 BYTEA   NOT NULL PRIMARY KEY CHECK (octet_length(token_sha256) = 32),
    id           UUID    NOT NULL UNIQUE,                         -- uuid v4, shown in "my devices"
    coffre       UUID    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    factor       UUID    REFERENCES unlock_factors (id) ON DELETE SET NULL,
    factor_kind  TEXT    NOT NULL CHECK (factor_kind IN ('carte', 'passphrase', 'passkey')),
    label        TEXT    NOT NULL,
    shared       BOOLEAN NOT NULL,
    csrf         BYTEA   NOT NULL CHECK (octet_length(csrf) = 32),
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);

CREATE INDEX sessions_coffre ON sessions (coffre);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Sign-in challenges: single use (deleted when used), short-lived.
CREATE TABLE auth_nonces (
    nonce      BYTEA   NOT NULL PRIMARY KEY CHECK (octet_length(nonce) = 32),
    expires_at BIGINT  NOT NULL
);

CREATE INDEX auth_nonces_expires_at ON auth_nonces (expires_at);

-- Fixed-window counters shared by every replica ("signin-ip:…", "signin-key:…", …).
CREATE TABLE rate_limits (
    bucket       TEXT    NOT NULL PRIMARY KEY,
    window_start BIGINT  NOT NULL,
    count        BIGINT  NOT NULL CHECK (count >= 0)
);
