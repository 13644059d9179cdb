-- migc:revision      0f1e00000002
-- migc:down_revision 0f1e00000001
-- migc:message       customers
-- migc:create_date   2026-11-25 11:01:00

-- migc:upgrade
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
INSERT INTO customers (id, email) VALUES (1, 'a@example.com'), (2, 'b@example.com');
INSERT INTO fleet_log (revision) VALUES ('0f1e00000002');

-- migc:downgrade
DROP TABLE customers;
