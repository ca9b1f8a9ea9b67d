-- Organisations (protocol.md section 7) and mandates (section 8), as the server keeps them
-- (docs/design/mandates-server.md). Kept in step with
-- ../sqlite/20261210000001_organisations_mandates.sql (same tables, same columns).
-- `created_at`, `founding_expires_at`, `founded_at`, `used_at` are µs since the Unix epoch
-- (UTC); `not_before`, `not_after` and `ended` are the signed statements' Unix seconds.
-- Every signed statement is kept as its envelope bytes, verified before it is stored.

-- An organisation the instance admin made (`coffre admin org create`). Its founding link
-- carries 32 random bytes in its fragment; only their SHA-256 is kept, used once. The root
-- key is set by the genesis statement its founding responsable posts.
CREATE TABLE organisations (
    id                  UUID NOT NULL PRIMARY KEY,             -- uuid v4, made by the server
    name                TEXT    NOT NULL,
    created_at          BIGINT NOT NULL,
    founding_sha256     BYTEA NOT NULL UNIQUE CHECK (octet_length(founding_sha256) = 32),
    founding_expires_at BIGINT NOT NULL,
    founded_at          BIGINT,
    root_key            BYTEA UNIQUE CHECK (octet_length(root_key) = 32)
);

-- The append-only membership chain: `org_chain` statements, seq 0, 1, … The primary key
-- takes the next seq, so two responsables racing get one conflict.
CREATE TABLE org_chain (
    organisation UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    seq          BIGINT NOT NULL CHECK (seq >= 0),
    statement    BYTEA NOT NULL,
    hash         BYTEA NOT NULL CHECK (octet_length(hash) = 32),
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (organisation, seq)
);

-- The members the verified chain says are current, rewritten with each chain statement in
-- its transaction: every access check reads this table, so a removal cuts access at once.
CREATE TABLE org_members (
    organisation UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    member_key   BYTEA NOT NULL CHECK (octet_length(member_key) = 32),
    recipient    TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('responsable', 'aidant')),
    PRIMARY KEY (organisation, member_key)
);

CREATE INDEX org_members_key ON org_members (member_key);

-- Root-signed `org_key` certificates, one per generation.
CREATE TABLE org_keys (
    organisation UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    generation   BIGINT NOT NULL CHECK (generation >= 0),
    cert         BYTEA NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (organisation, generation)
);

-- A generation of the organisation key wrapped to one member (an age file the server cannot
-- open); each member is served only its own.
CREATE TABLE org_key_wraps (
    organisation UUID NOT NULL,
    generation   BIGINT NOT NULL,
    member_key   BYTEA NOT NULL CHECK (octet_length(member_key) = 32),
    wrap         BYTEA NOT NULL,
    PRIMARY KEY (organisation, generation, member_key),
    FOREIGN KEY (organisation, generation) REFERENCES org_keys (organisation, generation)
        ON DELETE CASCADE
);

-- An owner-signed mandate, with the instance-wide number its attestation shows. `ended` and
-- `end_statement` hold the revocation (owner-signed) or renunciation (grantee-signed) that
-- ended it, if any.
CREATE TABLE mandates (
    id            UUID NOT NULL PRIMARY KEY,                   -- the statement's mandate id
    number        BIGINT NOT NULL UNIQUE CHECK (number > 0),
    coffre        UUID NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    grantee_type  TEXT    NOT NULL CHECK (grantee_type IN ('person', 'organisation')),
    grantee_key   BYTEA NOT NULL CHECK (octet_length(grantee_key) = 32),
    organisation  UUID REFERENCES organisations (id),
    rights        TEXT    NOT NULL CHECK (rights IN ('consult', 'deposit', 'consult_deposit')),
    not_before    BIGINT NOT NULL CHECK (not_before >= 0),
    not_after     BIGINT NOT NULL CHECK (not_after >= not_before),
    statement     BYTEA NOT NULL,
    created_at    BIGINT NOT NULL,
    ended         BIGINT,
    end_kind      TEXT    CHECK (end_kind IN ('revocation', 'renunciation')),
    end_statement BYTEA
);

CREATE INDEX mandates_coffre ON mandates (coffre);
CREATE INDEX mandates_grantee ON mandates (grantee_key);
CREATE INDEX mandates_organisation ON mandates (organisation);

-- Category keys the owner's client wrapped to a consult mandate's grantee (the person's
-- recipient, or the organisation key): age files the server cannot open.
CREATE TABLE mandate_key_wraps (
    mandate    UUID NOT NULL REFERENCES mandates (id) ON DELETE CASCADE,
    category   UUID NOT NULL,
    generation BIGINT NOT NULL CHECK (generation >= 0),
    wrap       BYTEA NOT NULL,
    PRIMARY KEY (mandate, category, generation)
);

-- Grantee-signed access receipts, one counter sequence per (coffre, grantee key) starting at
-- 1: the primary key refuses a repeated counter, the server a gap. `used_at`: a `download`
-- receipt opens one content download.
CREATE TABLE access_receipts (
    coffre      UUID NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    grantee_key BYTEA NOT NULL CHECK (octet_length(grantee_key) = 32),
    counter     BIGINT NOT NULL CHECK (counter > 0),
    mandate     UUID NOT NULL REFERENCES mandates (id) ON DELETE CASCADE,
    action      TEXT    NOT NULL,
    object      UUID NOT NULL,
    statement   BYTEA NOT NULL,
    created_at  BIGINT NOT NULL,
    used_at     BIGINT,
    PRIMARY KEY (coffre, grantee_key, counter)
);

CREATE INDEX access_receipts_mandate ON access_receipts (mandate);
