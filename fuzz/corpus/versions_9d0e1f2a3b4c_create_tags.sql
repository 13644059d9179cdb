-- Tags on entries: a many-to-many link table.
--
-- migc:revision      9d0e1f2a3b4c
-- migc:down_revision e1f2a3b4c5d6
-- migc:message       create tags
-- migc:create_date   2026-11-24 10:00:00

-- migc:upgrade
CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE entry_tags (
    entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, tag_id)
) WITHOUT ROWID;

-- migc:downgrade
DROP TABLE entry_tags;
DROP TABLE tags;
