-- Journal entries, owned by a user; deleting a user deletes their entries.
--
-- migc:revision      8b2e51c0a9f3
-- migc:down_revision 3f1c9a2b7d40
-- migc:message       create entries
-- migc:create_date   2026-11-20 09:30:00

-- migc:upgrade
CREATE TABLE entries (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);

-- migc:downgrade
DROP TABLE entries;
