-- migc:revision      c7a500000031
-- migc:down_revision c7a500000030
-- migc:message       customer totals show the largest order
-- migc:create_date   2026-11-26 09:31:00

-- migc:upgrade
DROP VIEW customer_totals;
CREATE VIEW customer_totals AS
SELECT customer_id, count(*) AS orders, sum(amount) AS total, max(amount) AS largest
FROM orders GROUP BY customer_id;

-- migc:downgrade
DROP VIEW customer_totals;
CREATE VIEW customer_totals AS
SELECT customer_id, count(*) AS orders, sum(amount) AS total FROM orders GROUP BY customer_id;
