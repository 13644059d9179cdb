-- migc:revision      c7a500000008
-- migc:down_revision c7a500000007
-- migc:message       view of customer totals
-- migc:create_date   2026-11-26 09:08:00

-- migc:upgrade
CREATE VIEW customer_totals AS
SELECT customer_id, count(*) AS orders, sum(amount) AS total FROM orders GROUP BY customer_id;

-- migc:downgrade
DROP VIEW customer_totals;
