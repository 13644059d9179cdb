-- migc:revision      c7a500000024
-- migc:down_revision c7a500000023
-- migc:message       view of busy customers
-- migc:create_date   2026-11-26 09:24:00

-- migc:upgrade
CREATE VIEW busy_customers AS
SELECT customer_id, count(*) AS events FROM events GROUP BY customer_id HAVING count(*) > 3;

-- migc:downgrade
DROP VIEW busy_customers;
