-- migc:revision      c7a500000004
-- migc:down_revision c7a500000003
-- migc:message       orders
-- migc:create_date   2026-11-26 09:04:00

-- migc:upgrade
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    item_id     INTEGER NOT NULL REFERENCES items (id),
    amount      INTEGER NOT NULL
);
INSERT INTO orders (id, customer_id, item_id, amount)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
SELECT i, 1 + (i * 31) % 10000, 1 + (i * 17) % 20000, (i * 13) % 997 FROM n;

-- migc:downgrade
DROP TABLE orders;
