-- migc:revision      c7a500000027
-- migc:down_revision c7a500000026
-- migc:message       drop events of kind 3
-- migc:create_date   2026-11-26 09:27:00

-- migc:upgrade
DELETE FROM events WHERE kind = 3;

-- migc:downgrade
INSERT INTO events (id, kind, customer_id, payload)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
SELECT i, i % 7, 1 + (i * 13) % 10000, 'event ' || i || ' of kind ' || (i % 7) FROM n WHERE i % 7 = 3;
