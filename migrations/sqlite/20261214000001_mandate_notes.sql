-- The owner's note on a mandate it gave (protocol.md section 8.1): an age file to the
-- owner's own recipient holding the owner-signed `mandate_note` (the name the owner gave the
-- grantee). The server cannot open it; it keeps it beside the mandate and serves it only in
-- the owner's own list. A table of its own, so no query of the grantees' or organisations'
-- lists can select it by mistake.
CREATE TABLE mandate_notes (
    mandate BLOB NOT NULL PRIMARY KEY REFERENCES mandates (id) ON DELETE CASCADE,
    note    BLOB NOT NULL
) STRICT;
