-- Organisations (protocol.md section 7) and mandates (section 8), as the server keeps them
-- (docs/design/mandates-server.md). Kept in step with
-- ../postgres/20261210000001_organisations_mandates.sql (same tables, same columns).
-- `created_at`, `founding_expires_at`, `founded_at`, `used_at` are µs since the Unix epoch
-- (UTC); `not_before`, `not_after` and `ended` are the signed statements' Unix seconds.
-- Every signed statement is kept as its envelope bytes, verified before it is stored.

-- An organisation the instance admin made (`coffre admin org create`). Its founding link
-- carries 32 random bytes in its fragment; only their SHA-256 is kept, used once. The root
-- key is set by the genesis statement its founding responsable posts.
CREATE TABLE organisations (
    id                  BLOB    NOT NULL PRIMARY KEY,             -- uuid v4, made by the server
    name                TEXT    NOT NULL,
    created_at          INTEGER NOT NULL,
    founding_sha256     BLOB    NOT NULL UNIQUE CHECK (length(founding_sha256) = 32),
    founding_expires_at INTEGER NOT NULL,
    founded_at          INTEGER,
    root_key            BLOB    UNIQUE CHECK (length(root_key) = 32)
) STRICT;

-- The append-only membership chain: `org_chain` statements, seq 0, 1, … The primary key
-- takes the next seq, so two responsables racing get one conflict.
CREATE TABLE org_chain (
    organisation BLOB    NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL CHECK (seq >= 0),
    statement    BLOB    NOT NULL,
    hash         BLOB    NOT NULL CHECK (length(hash) = 32),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (organisation, seq)
) STRICT;

-- The members the verified chain says are current, rewritten with each chain statement in
-- its transaction: every access check reads this table, so a removal cuts access at once.
CREATE TABLE org_members (
    organisation BLOB    NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    member_key   BLOB    NOT NULL CHECK (length(member_key) = 32),
    recipient    TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('responsable', 'aidant')),
    PRIMARY KEY (organisation, member_key)
) STRICT;

CREATE INDEX org_members_key ON org_members (member_key);

-- Root-signed `org_key` certificates, one per generation.
CREATE TABLE org_keys (
    organisation BLOB    NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    generation   INTEGER NOT NULL CHECK (generation >= 0),
    cert         BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (organisation, generation)
) STRICT;

-- A generation of the organisation key wrapped to one member (an age file the server cannot
-- open); each member is served only its own.
CREATE TABLE org_key_wraps (
    organisation BLOB    NOT NULL,
    generation   INTEGER NOT NULL,
    member_key   BLOB    NOT NULL CHECK (length(member_key) = 32),
    wrap         BLOB    NOT NULL,
    PRIMARY KEY (organisation, generation, member_key),
    FOREIGN KEY (organisation, generation) REFERENCES org_keys (organisation, generation)
        ON DELETE CASCADE
) STRICT;

-- An owner-signed mandate, with the instance-wide number its attestation shows. `ended` and
-- `end_statement` hold the revocation (owner-signed) or renunciation (grantee-signed) that
-- ended it, if any.
CREATE TABLE mandates (
    id            BLOB    NOT NULL PRIMARY KEY,                   -- the statement's mandate id
    number        INTEGER NOT NULL UNIQUE CHECK (number > 0),
    coffre        BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    grantee_type  TEXT    NOT NULL CHECK (grantee_type IN ('person', 'organisation')),
    grantee_key   BLOB    NOT NULL CHECK (length(grantee_key) = 32),
    organisation  BLOB    REFERENCES organisations (id),
    rights        TEXT    NOT NULL CHECK (rights IN ('consult', 'deposit', 'consult_deposit')),
    not_before    INTEGER NOT NULL CHECK (not_before >= 0),
    not_after     INTEGER NOT NULL CHECK (not_after >= not_before),
    statement     BLOB    NOT NULL,
    created_at    INTEGER NOT NULL,
    ended         INTEGER,
    end_kind      TEXT    CHECK (end_kind IN ('revocation', 'renunciation')),
    end_statement BLOB
) STRICT;

CREATE INDEX mandates_coffre ON mandates (coffre);
CREATE INDEX mandates_grantee ON mandates (grantee_key);
CREATE INDEX mandates_organisation ON mandates (organisation);

-- Category keys the owner's client wrapped to a consult mandate's grantee (the person's
-- recipient, or the organisation key): age files the server cannot open.
CREATE TABLE mandate_key_wraps (
    mandate    BLOB    NOT NULL REFERENCES mandates (id) ON DELETE CASCADE,
    category   BLOB    NOT NULL,
    generation INTEGER NOT NULL CHECK (generation >= 0),
    wrap       BLOB    NOT NULL,
    PRIMARY KEY (mandate, category, generation)
) STRICT;

-- Grantee-signed access receipts, one counter sequence per (coffre, grantee key) starting at
-- 1: the primary key refuses a repeated counter, the server a gap. `used_at`: a `download`
-- receipt opens one content download.
CREATE TABLE access_receipts (
    coffre      BLOB    NOT NULL REFERENCES coffres (id) ON DELETE CASCADE,
    grantee_key BLOB    NOT NULL CHECK (length(grantee_key) = 32),
    counter     INTEGER NOT NULL CHECK (counter > 0),
    mandate     BLOB    NOT NULL REFERENCES mandates (id) ON DELETE CASCADE,
    action      TEXT    NOT NULL,
    object      BLOB    NOT NULL,
    statement   BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    used_at     INTEGER,
    PRIMARY KEY (coffre, grantee_key, counter)
) STRICT;

CREATE INDEX access_receipts_mandate ON access_receipts (mandate);
