-- migc:revision      c7a500000026
-- migc:down_revision c7a500000025
-- migc:message       categories
-- migc:create_date   2026-11-26 09:26:00

-- migc:upgrade
CREATE TABLE categories (name TEXT PRIMARY KEY, items INTEGER NOT NULL);
INSERT INTO categories (name, items) SELECT category, count(*) FROM items GROUP BY category;

-- migc:downgrade
DROP TABLE categories;
