-- migc:revision      3c0000000001
-- migc:down_revision none
-- migc:message       catalog: items
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE items (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE items;
