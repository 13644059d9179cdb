-- migc:revision      a1f0e9d8c7b6
-- migc:down_revision a1b2c3d4e5f6
-- migc:message       create orders
-- migc:create_date   2026-11-02 10:00:00

-- migc:upgrade
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    total_cents INTEGER NOT NULL
);

-- migc:downgrade
DROP TABLE orders;
