-- migc:revision      c7a500000016
-- migc:down_revision c7a500000015
-- migc:message       drop every tenth note
-- migc:create_date   2026-11-26 09:16:00

-- migc:upgrade
DELETE FROM order_notes WHERE order_id % 10 = 0;

-- migc:downgrade
INSERT INTO order_notes (order_id, note)
SELECT id, 'note for ' || id || ' of ' || customer_id FROM orders WHERE id % 10 = 0 AND id <= 30000;
