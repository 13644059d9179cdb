-- migc:revision      c7a500000037
-- migc:down_revision c7a500000036
-- migc:message       customers get a status
-- migc:create_date   2026-11-26 09:37:00

-- migc:upgrade
ALTER TABLE customers ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
UPDATE customers SET status = 'dormant' WHERE id NOT IN (SELECT customer_id FROM orders);

-- migc:downgrade
ALTER TABLE customers DROP COLUMN status;
