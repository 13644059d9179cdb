-- A root with a label, two statements and a downgrade.
-- migc:revision      1000aaaa0001
-- migc:down_revision none
-- migc:message       create "things"
-- migc:create_date   2026-11-23 10:00:00
-- migc:branch_labels core

-- migc:upgrade
CREATE TABLE things (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL DEFAULT 'it''s'  -- a comment; with a semicolon
);
INSERT INTO things (name) VALUES ('a;b'), ("c");

-- migc:downgrade
DROP TABLE things;
