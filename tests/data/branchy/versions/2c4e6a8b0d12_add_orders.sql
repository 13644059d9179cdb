-- migc:revision      2c4e6a8b0d12
-- migc:down_revision 1a2b3c4d5e01
-- migc:message       add orders
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE orders (id INTEGER PRIMARY KEY, note VARCHAR(40));
CREATE INDEX orders_note ON orders (note);

-- migc:downgrade
DROP TABLE orders;
