-- migc:revision      4d0000000001
-- migc:down_revision none
-- migc:message       docs: pages
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE pages (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE pages;
