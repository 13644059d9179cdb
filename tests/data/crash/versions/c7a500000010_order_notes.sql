-- migc:revision      c7a500000010
-- migc:down_revision c7a500000009
-- migc:message       notes on even orders
-- migc:create_date   2026-11-26 09:10:00

-- migc:upgrade
CREATE TABLE order_notes (order_id INTEGER PRIMARY KEY, note TEXT NOT NULL);
INSERT INTO order_notes (order_id, note)
SELECT id, 'note for ' || id || ' of ' || customer_id FROM orders WHERE id % 2 = 0;

-- migc:downgrade
DROP TABLE order_notes;
