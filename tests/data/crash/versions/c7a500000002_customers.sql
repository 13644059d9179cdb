-- migc:revision      c7a500000002
-- migc:down_revision c7a500000001
-- migc:message       customers
-- migc:create_date   2026-11-26 09:02:00

-- migc:upgrade
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, region INTEGER NOT NULL);
INSERT INTO customers (id, email, region)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
SELECT i, 'c' || i || '@example.com', i % 50 FROM n;

-- migc:downgrade
DROP TABLE customers;
