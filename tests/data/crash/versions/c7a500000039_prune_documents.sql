-- migc:revision      c7a500000039
-- migc:down_revision c7a500000038
-- migc:message       drop every fifth document
-- migc:create_date   2026-11-26 09:39:00

-- migc:upgrade
DELETE FROM documents WHERE id % 5 = 0;

-- migc:downgrade
INSERT INTO documents (id, title, body)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
SELECT i, CASE WHEN i % 2 = 0 THEN upper('doc ' || i) ELSE 'doc ' || i END, 'document ' || i || ': lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore' FROM n WHERE i % 5 = 0;
