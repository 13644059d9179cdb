-- migc:revision      c7a500000036
-- migc:down_revision c7a500000035
-- migc:message       drop categories
-- migc:create_date   2026-11-26 09:36:00

-- migc:upgrade
DROP TABLE categories;

-- migc:downgrade
CREATE TABLE categories (name TEXT PRIMARY KEY, items INTEGER NOT NULL);
INSERT INTO categories (name, items) SELECT category, count(*) FROM items GROUP BY category;
