-- migc:revision      c7a500000033
-- migc:down_revision c7a500000032
-- migc:message       documents
-- migc:create_date   2026-11-26 09:33:00

-- migc:upgrade
CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL);
INSERT INTO documents (id, title, body)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
SELECT i, 'doc ' || i, 'document ' || i || ': lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore' FROM n;

-- migc:downgrade
DROP TABLE documents;
