-- migc:revision      a1b2c3d4e5f6
-- migc:down_revision none
-- migc:message       create customers
-- migc:create_date   2026-11-01 10:00:00

-- migc:upgrade
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
INSERT INTO customers (email) VALUES ('first@example.com');

-- migc:downgrade
DROP TABLE customers;
