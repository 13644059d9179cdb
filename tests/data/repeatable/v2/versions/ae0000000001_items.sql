-- migc:revision      ae0000000001
-- migc:down_revision none
-- migc:message       items
-- migc:create_date   2026-12-01 10:00:00
-- migc:allow prefer-bigint-over-int, prefer-text-field

-- migc:upgrade
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL);

-- migc:downgrade
DROP TABLE items;
