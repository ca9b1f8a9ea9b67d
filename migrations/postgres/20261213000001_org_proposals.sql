-- Pending organisation proposals (docs/design/organisations-screens.md, "Two responsables
-- signing together"): an `org_chain` statement signed by one current responsable while the
-- chain has two or more, kept until a second responsable countersigns it (it is then appended
-- to `org_chain` and every proposal at or before its seq is deleted in the same transaction)
-- or refuses it (deleted). `proposer_key` is the one signer. Kept in step with
-- ../sqlite/20261213000001_org_proposals.sql.
CREATE TABLE org_proposals (
    organisation UUID   NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id           UUID   NOT NULL,
    seq          BIGINT NOT NULL CHECK (seq >= 1),
    statement    BYTEA  NOT NULL,
    proposer_key BYTEA  NOT NULL CHECK (octet_length(proposer_key) = 32),
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (organisation, id)
);
