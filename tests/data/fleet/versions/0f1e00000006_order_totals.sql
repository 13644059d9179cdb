-- migc:revision      0f1e00000006
-- migc:down_revision 0f1e00000005
-- migc:message       order totals view
-- migc:create_date   2026-11-25 11:05:00

-- migc:upgrade
INSERT INTO orders (id, customer_id, total_cents) VALUES (1, 1, 500), (2, 1, 700), (3, 2, 100);
CREATE VIEW order_totals AS
    SELECT customer_id, sum(total_cents) AS total_cents FROM orders GROUP BY customer_id;
INSERT INTO fleet_log (revision) VALUES ('0f1e00000006');

-- migc:downgrade
DROP VIEW order_totals;
DELETE FROM orders;
