-- migc:revision      c7a500000007
-- migc:down_revision c7a500000006
-- migc:message       regions
-- migc:create_date   2026-11-26 09:07:00

-- migc:upgrade
CREATE TABLE regions (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO regions (id, name)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
SELECT i - 1, 'region ' || (i - 1) FROM n;

-- migc:downgrade
DROP TABLE regions;
