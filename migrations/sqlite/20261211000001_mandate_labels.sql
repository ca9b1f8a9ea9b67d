-- Category labels the owner's client sealed to a mandate's grantee (an age file to the
-- person's recipient or the organisation key, holding the owner-signed `category_label`):
-- what lets a deposit-only grantee name the category it deposits into without its key.
CREATE TABLE mandate_labels (
    mandate  BLOB NOT NULL REFERENCES mandates (id) ON DELETE CASCADE,
    category BLOB NOT NULL,
    label    BLOB NOT NULL,
    PRIMARY KEY (mandate, category)
) STRICT;
