-- migc:revision      c7a500000012
-- migc:down_revision c7a500000011
-- migc:message       ten thousand more orders, audited
-- migc:create_date   2026-11-26 09:12:00

-- migc:upgrade
INSERT INTO orders (id, customer_id, item_id, amount)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
SELECT 30000 + i, 1 + (i * 29) % 10000, 1 + (i * 11) % 20000, (i * 7) % 991 FROM n;

-- migc:downgrade
DELETE FROM order_audit WHERE order_id > 30000;
DELETE FROM orders WHERE id > 30000;
