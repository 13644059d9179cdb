-- migc:revision      c7a500000038
-- migc:down_revision c7a500000037
-- migc:message       summary per region
-- migc:create_date   2026-11-26 09:38:00

-- migc:upgrade
CREATE TABLE region_summary AS
SELECT c.region_id AS region_id, count(*) AS customers, sum(t.total) AS total
FROM customers c LEFT JOIN customer_totals t ON t.customer_id = c.id
GROUP BY c.region_id;

-- migc:downgrade
DROP TABLE region_summary;
