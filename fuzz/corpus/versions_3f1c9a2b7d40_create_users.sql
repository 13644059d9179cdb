-- The people who write in the journal.
--
-- migc:revision      3f1c9a2b7d40
-- migc:down_revision none
-- migc:message       create users
-- migc:create_date   2026-11-20 09:12:00

-- migc:upgrade
CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);

-- migc:downgrade
DROP TABLE users;
