-- migc:revision      1a0000000001
-- migc:down_revision none
-- migc:message       create entries
-- migc:create_date   2026-11-20 09:00:00

-- migc:upgrade
CREATE TABLE entries (id INTEGER PRIMARY KEY, title TEXT NOT NULL);

-- migc:downgrade
DROP TABLE entries;
