-- migc:revision      0f1e00000003
-- migc:down_revision 0f1e00000002
-- migc:message       orders
-- migc:create_date   2026-11-25 11:02:00

-- migc:upgrade
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    total_cents INTEGER NOT NULL
);
INSERT INTO fleet_log (revision) VALUES ('0f1e00000003');

-- migc:downgrade
DROP TABLE orders;
