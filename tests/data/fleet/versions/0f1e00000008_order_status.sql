-- migc:revision      0f1e00000008
-- migc:down_revision 0f1e00000007
-- migc:message       order status
-- migc:create_date   2026-11-25 11:07:00

-- migc:upgrade
ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
INSERT INTO orders (id, customer_id, total_cents) VALUES (4, 2, 900);
INSERT INTO fleet_log (revision) VALUES ('0f1e00000008');

-- migc:downgrade
DELETE FROM orders WHERE id = 4;
ALTER TABLE orders DROP COLUMN status;
